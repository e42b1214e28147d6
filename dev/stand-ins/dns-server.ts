import { createSocket, type RemoteInfo } from 'node:dgram';

/**
 * A tiny authoritative-and-recursive-looking DNS server on 127.0.0.1 (UDP), so the bot's real resolver
 * code (node:dns with DNS_SERVERS) runs in tests and the sandbox. It answers A and CNAME questions from
 * `records`: an A question for a CNAME follows the chain as a recursive resolver would; an unknown name
 * is NXDOMAIN; a known name without records of the asked type is NODATA. A name marked `zone` is a zone
 * apex: it answers SOA questions (every other name answers them with NODATA). `silent` drops every
 * question, to make the client time out.
 */

export interface DnsRecord {
  a?: string[];
  cname?: string;
  /** The name is the apex of a zone: it has an SOA record. */
  zone?: boolean;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: string;
}

export interface DnsServer {
  /** `127.0.0.1:<port>`, ready for DNS_SERVERS. */
  readonly address: string;
  readonly port: number;
  /** Records by lower-case name without trailing dot; change it at any time. */
  readonly records: Map<string, DnsRecord>;
  /** Every question received, in order. */
  readonly questions: DnsQuestion[];
  /** When true, questions get no answer at all. */
  silent: boolean;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_SOA = 6;
const TYPE_NAMES: Record<number, string> = { 1: 'A', 5: 'CNAME', 28: 'AAAA', 6: 'SOA', 2: 'NS', 15: 'MX', 16: 'TXT' };
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const TTL_SECONDS = 60;

export async function startDnsServer(options: { records?: Record<string, DnsRecord>; port?: number } = {}): Promise<DnsServer> {
  const records = new Map<string, DnsRecord>(Object.entries(options.records ?? {}).map(([name, record]) => [normalise(name), record]));
  const questions: DnsQuestion[] = [];
  const state = { silent: false };
  const socket = createSocket('udp4');

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    const reply = answer(message, records, questions, state.silent);
    if (reply !== undefined) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    records,
    questions,
    get silent() {
      return state.silent;
    },
    set silent(value: boolean) {
      state.silent = value;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function answer(query: Buffer, records: Map<string, DnsRecord>, questions: DnsQuestion[], silent: boolean): Buffer | undefined {
  if (query.length < 12) return undefined;
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  if ((flags & 0x8000) !== 0) return undefined; // a response, not a question
  const parsed = readQuestion(query);
  if (parsed === undefined) return header(id, flags, RCODE_FORMERR, 0, 0);
  const { name, type, end } = parsed;
  questions.push({ name, type: TYPE_NAMES[type] ?? String(type) });
  if (silent) return undefined;
  const question = query.subarray(12, end);

  const answers: Buffer[] = [];
  let current = name;
  let record = records.get(current);
  if (record === undefined) return Buffer.concat([header(id, flags, RCODE_NXDOMAIN, 1, 0), question]);
  // Follow CNAMEs for an A question (at most 8 hops), as a recursive resolver does.
  for (let hops = 0; record?.cname !== undefined && hops < 8; hops += 1) {
    answers.push(resourceRecord(current, TYPE_CNAME, encodeName(record.cname)));
    if (type === TYPE_CNAME) break;
    current = normalise(record.cname);
    record = records.get(current);
  }
  if (type === TYPE_A && record?.cname === undefined) {
    for (const address of record?.a ?? []) answers.push(resourceRecord(current, TYPE_A, Buffer.from(address.split('.').map(Number))));
  }
  if (type === TYPE_SOA && record?.zone === true) answers.push(resourceRecord(current, TYPE_SOA, soaData(current)));
  return Buffer.concat([header(id, flags, 0, 1, answers.length), question, ...answers]);
}

/** MNAME, RNAME, then serial, refresh, retry, expire and minimum TTL. */
function soaData(zone: string): Buffer {
  const numbers = Buffer.alloc(20);
  for (const [index, value] of [2026120101, 7200, 900, 1209600, 300].entries()) numbers.writeUInt32BE(value, index * 4);
  return Buffer.concat([encodeName(`ns1.${zone}`), encodeName(`hostmaster.${zone}`), numbers]);
}

function header(id: number, queryFlags: number, rcode: number, questionCount: number, answerCount: number): Buffer {
  const buffer = Buffer.alloc(12);
  buffer.writeUInt16BE(id, 0);
  // QR=1, opcode and RD copied from the query, AA=1, RA=1.
  buffer.writeUInt16BE(0x8000 | (queryFlags & 0x7800) | 0x0400 | (queryFlags & 0x0100) | 0x0080 | rcode, 2);
  buffer.writeUInt16BE(questionCount, 4);
  buffer.writeUInt16BE(answerCount, 6);
  return buffer;
}

function readQuestion(query: Buffer): { name: string; type: number; end: number } | undefined {
  if (query.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = query[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    if (offset + length > query.length) return undefined;
    labels.push(query.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > query.length) return undefined;
  return { name: normalise(labels.join('.')), type: query.readUInt16BE(offset), end: offset + 4 };
}

function resourceRecord(owner: string, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // class IN
  fixed.writeUInt32BE(TTL_SECONDS, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(owner), fixed, data]);
}

function encodeName(name: string): Buffer {
  const parts = normalise(name)
    .split('.')
    .filter((label) => label !== '')
    .map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
