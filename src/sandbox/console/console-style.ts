/** The console's style sheet: a Slack-like channel view, Block Kit layout, the controls panel. */
export const CONSOLE_STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 15px/1.46668 -apple-system, BlinkMacSystemFont, "Segoe UI", Lato, "Helvetica Neue", Helvetica, Arial, sans-serif; color: #1d1c1d; }
.app { display: grid; grid-template-columns: 240px minmax(0, 1fr) 330px; height: 100vh; }
.sidebar { background: #3f0e40; color: #cfc3cf; display: flex; flex-direction: column; padding: 0 0 12px; overflow-y: auto; }
.workspace { padding: 14px 16px; border-bottom: 1px solid #5d2c5d; }
.workspace-name { color: #fff; font-weight: 900; font-size: 18px; }
.workspace-hint { font-size: 12px; }
.acting { display: block; padding: 12px 16px 4px; font-size: 13px; }
.acting select { display: block; width: 100%; margin-top: 4px; padding: 4px; border-radius: 4px; border: 0; font: inherit; }
.section-title { padding: 14px 16px 4px; font-size: 13px; }
.channel-list { list-style: none; margin: 0; padding: 0; }
.channel-list li { padding: 3px 16px 3px 26px; cursor: pointer; display: flex; justify-content: space-between; }
.channel-list li:hover { background: #350d36; }
.channel-list li.active { background: #1164a3; color: #fff; }
.channel-list li.unread { color: #fff; font-weight: 700; }
.unread-count { background: #cd2553; color: #fff; border-radius: 9px; padding: 0 7px; font-size: 12px; font-weight: 700; }
.sidebar-foot { margin-top: auto; padding: 12px 16px 0; font-size: 12px; }
.channel { display: flex; flex-direction: column; min-height: 0; }
.channel-header { padding: 10px 20px; border-bottom: 1px solid #ddd; }
.channel-name { font-weight: 900; font-size: 18px; }
.channel-purpose { font-size: 13px; color: #616061; }
.messages { flex: 1; overflow-y: auto; padding: 8px 0 16px; }
.intro { padding: 16px 20px; color: #616061; }
.intro b { color: #1d1c1d; font-size: 20px; display: block; margin-bottom: 4px; }
.msg { display: flex; gap: 8px; padding: 8px 20px; }
.msg:hover { background: #f8f8f8; }
.msg.ephemeral { background: #f6fbfe; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 4px; color: #fff; font-weight: 900; display: flex; align-items: center; justify-content: center; }
.avatar.bot { background: #1d9bd1; }
.avatar.slackbot { background: #e01e5a; }
.avatar.person { background: #e8912d; }
.msg-body { flex: 1; min-width: 0; }
.msg-meta { display: flex; align-items: baseline; gap: 6px; }
.author { font-weight: 900; }
.badge { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: 700; padding: 0 3px; border-radius: 2px; }
time, .edited { color: #616061; font-size: 12px; }
.ephemeral-note { color: #616061; font-size: 12px; }
.thread { margin-top: 6px; border-left: 3px solid #ddd; padding-left: 8px; }
.thread .msg { padding: 6px 0; }
.thread-count { color: #1264a3; font-size: 13px; font-weight: 700; }
.bk-header { font-weight: 900; font-size: 18px; margin: 4px 0; }
.bk-section { display: flex; gap: 12px; margin: 4px 0; }
.bk-section-main { flex: 1; min-width: 0; }
.bk-text { overflow-wrap: anywhere; }
.bk-fields { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 24px; margin-top: 4px; }
.bk-accessory { flex: none; }
.bk-context { color: #616061; font-size: 12px; margin: 4px 0; display: flex; gap: 8px; flex-wrap: wrap; }
.bk-divider { border: 0; border-top: 1px solid #ddd; margin: 8px 0; }
.bk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.bk-pre { background: #f8f8f8; border: 1px solid #e2e2e2; border-radius: 4px; padding: 8px; margin: 4px 0; font: 12px/1.5 Monaco, Menlo, Consolas, "Courier New", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.bk-code { color: #e01e5a; background: #f6f6f6; border: 1px solid #e2e2e2; border-radius: 3px; padding: 0 3px; font: 12px Monaco, Menlo, Consolas, "Courier New", monospace; }
.bk-mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
.bk-link { color: #1264a3; }
.bk-quote { display: block; border-left: 4px solid #ddd; padding-left: 10px; }
.bk-button { height: 28px; padding: 0 12px; border: 1px solid #bbb; border-radius: 4px; background: #fff; color: #1d1c1d; font-family: inherit; font-size: 13px; font-weight: 700; cursor: pointer; }
.bk-button:hover { background: #f8f8f8; }
.bk-button.bk-primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.bk-button.bk-danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.bk-button:disabled { opacity: 0.5; cursor: progress; }
.bk-unsupported, .bk-image-placeholder { color: #616061; font-size: 12px; font-style: italic; }
.composer { display: flex; margin: 0 20px; border: 1px solid #bbb; border-radius: 8px; overflow: hidden; }
.composer input { flex: 1; border: 0; padding: 10px 12px; font: inherit; outline: none; }
.composer button { border: 0; background: #007a5a; color: #fff; font-weight: 700; padding: 0 16px; cursor: pointer; }
.composer-status { min-height: 20px; margin: 2px 20px 8px; font-size: 12px; color: #616061; }
.composer-status.error { color: #e01e5a; }
.controls { border-left: 1px solid #ddd; background: #fafafa; overflow-y: auto; padding: 0 16px 16px; font-size: 13px; }
.controls h2 { font-size: 16px; margin: 14px 0 2px; }
.controls h3 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: 0.04em; color: #616061; }
.controls ul { list-style: none; margin: 0; padding: 0; }
.controls li { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px; margin-bottom: 6px; }
.controls .row { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.controls .name { font-weight: 700; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.hint { color: #616061; font-size: 12px; }
.pill { border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 700; background: #e8e8e8; }
.pill.ok { background: #e3f4ec; color: #007a5a; }
.pill.bad { background: #fce8ee; color: #c01048; }
.control { margin-top: 6px; border: 1px solid #bbb; border-radius: 4px; background: #fff; padding: 3px 10px; font-family: inherit; font-size: 12px; font-weight: 700; cursor: pointer; }
.control.danger { border-color: #e01e5a; color: #e01e5a; }
.control.primary { border-color: #007a5a; color: #007a5a; }
.modal-backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.45); display: flex; align-items: center; justify-content: center; }
.modal-backdrop[hidden] { display: none; }
.modal { background: #fff; border-radius: 8px; width: 460px; max-width: 90vw; padding: 20px 24px; box-shadow: 0 18px 48px rgba(0, 0, 0, 0.35); }
.modal h3 { margin: 0 0 12px; font-size: 20px; }
.modal-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 20px; }
.modal-buttons button { height: 36px; padding: 0 16px; border-radius: 4px; border: 1px solid #bbb; background: #fff; font-family: inherit; font-size: 15px; font-weight: 700; cursor: pointer; }
.modal-buttons #confirm-yes { background: #007a5a; border-color: #007a5a; color: #fff; }
.modal-buttons #confirm-yes.danger { background: #e01e5a; border-color: #e01e5a; }
`;
