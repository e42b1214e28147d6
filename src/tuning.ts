/**
 * Every deadline, cache lifetime and concurrency bound of the bot, in one place. The README explains each
 * where the behaviour it shapes is described (Operations, /ips, /health, Alerts).
 */

/** Each Kubernetes call is given up after this long, and each AWS call attempt after half of it. */
export const CALL_TIMEOUT_MS = 10_000;
/** Attempts of one AWS call (the SDK's standard retry: exponential backoff with jitter). */
export const AWS_MAX_ATTEMPTS = 5;
/** An AWS endpoint that accepts no connection within this long (or the call deadline, if shorter) is given up. */
export const AWS_CONNECT_TIMEOUT_MS = 3000;
/** Slack Web API calls give up after this long each, and are retried at most SLACK_RETRIES times. */
export const SLACK_CALL_TIMEOUT_MS = 10_000;
export const SLACK_RETRIES = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true } as const;
/** Answers sent to Slack at once, at most (see RunnerDependencies.answerLimit). */
export const SLACK_ANSWER_CONCURRENCY = 16;
/** On SIGTERM, work already started (answers, clicks, notices) may finish for this long. */
export const SHUTDOWN_DRAIN_MS = 10_000;

/** How long a found NLB is reused by /ips and the other commands before AWS is asked again. */
export const NLB_CACHE_TTL_MS = 5 * 60_000;
/** /ips answers from its cache for this long; after it, the next /ips still answers at once and refreshes. */
export const IPS_FRESH_MS = 30_000;
/** DNS is only a warning in /expose: its lookup may not hold the answer up for longer than this. */
export const DNS_TIMEOUT_MS = 2000;

/**
 * AWS calls the alert poll may have in flight per AWS account (edges of one account share its ELBv2 rate
 * limit); /health has its own bound per account, so the poll never waits behind it.
 */
export const HEALTH_AWS_CONCURRENCY = 10;
export const HEALTH_COMMAND_AWS_CONCURRENCY = 5;
/** The live check after an apply: a few seconds for the proxy to load the route, then retries while DNS is missing. */
export const LIVE_CHECK_TIMING = { firstDelayMs: 5_000, retryDelayMs: 15_000, retryForMs: 10 * 60_000 } as const;
/** Edges one alert poll reads at the same time; each has its own deadline, so a hung edge holds up only itself. */
export const EDGE_POLL_CONCURRENCY = 8;
/** /health answers from a snapshot at most this old; several at once share one read. */
export const HEALTH_SNAPSHOT_MAX_AGE_MS = 5_000;
/** The shortest poll deadline: room for the AWS SDK's retries of throttled calls (backoff up to 20 s per retry). */
export const MIN_POLL_DEADLINE_MS = 30_000;
/** Least time between two alert messages: Slack allows about one per second per channel. */
export const ALERT_POST_SPACING_MS = 1100;

/** The leader-election Lease: its name, how often it is renewed, how long it lasts, when a holder stops acting. */
export const LEASE_NAME = 'nlb-ingress-bot-leader';
export const LEASE_RENEW_MS = 5_000;
export const LEASE_DURATION_SECONDS = 15;
export const LEASE_RENEW_DEADLINE_MS = 10_000;

/** The ConfigMap (in POD_NAMESPACE) where decisions on approval requests are recorded, and how many it keeps. */
export const DECISIONS_CONFIGMAP = 'nlb-ingress-bot-decisions';
export const DECISIONS_KEPT = 2000;
/** How long a preview's or an approval request's buttons stay valid. */
export const BUTTON_VALUE_MAX_AGE_MS = 24 * 60 * 60_000;
/** A button value issued more than this far in the future (clock skew between replicas) is refused. */
export const BUTTON_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The HTTP server: slow or stalled clients must not hold sockets open forever. */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;
export const HTTP_HEADERS_TIMEOUT_MS = 10_000;

/** Slack deliveries remembered per replica, so a retried command, click or event is not acted on twice. */
export const DELIVERY_MEMORY = 10_000;
export const DELIVERY_MEMORY_MS = 60 * 60_000;
/** The largest Slack request body accepted (Slack's own payloads are far smaller). */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * Socket Mode reconnects forever: at once after a dropped connection, then from this delay doubling up to
 * SOCKET_MODE_RECONNECT_MAX_SECONDS (default 30), with jitter.
 */
export const SOCKET_RECONNECT_FIRST_MS = 1000;
/** A Socket Mode connection that has not said hello within this long is given up and tried again. */
export const SOCKET_CONNECT_TIMEOUT_MS = 30_000;

/** After writing an HTTPRoute, how long the bot waits for the Gateway's controller to say whether it is live. */
export const ROUTE_STATUS_WAIT_MS = 15_000;
export const ROUTE_STATUS_POLL_MS = 250;
