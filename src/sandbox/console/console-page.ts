/**
 * The console's HTML shell. The page, its style and its script are TypeScript modules so they ship
 * inside dist/ with the compiled code (npm start runs dist/main.js) and need no bundler.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nlb-ingress-bot sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body>
<div class="app">
  <aside class="sidebar">
    <div class="workspace"><div class="workspace-name">Sandbox</div><div class="workspace-hint">nlb-ingress-bot · local stand-ins</div></div>
    <label class="acting">Acting as<select id="user" aria-label="Acting as"></select></label>
    <div class="section-title">Channels</div>
    <ul id="channels" class="channel-list"></ul>
    <div class="section-title">Direct messages</div>
    <ul id="dms" class="channel-list"></ul>
    <div class="sidebar-foot">Nothing leaves this machine: Kubernetes, AWS, Slack and DNS are local stand-ins.</div>
  </aside>
  <main class="channel">
    <header class="channel-header"><div class="channel-name" id="channel-name"></div><div class="channel-purpose" id="channel-purpose"></div></header>
    <div class="messages" id="messages"><div class="intro" id="intro"></div><div id="timeline"></div></div>
    <form class="composer" id="composer" autocomplete="off">
      <input id="composer-input" name="text" placeholder="Type a slash command, for example /ips" aria-label="Message">
      <button type="submit" id="composer-send">Send</button>
    </form>
    <div class="composer-status" id="composer-status" role="status"></div>
  </main>
  <aside class="controls" id="world" aria-label="Sandbox controls"></aside>
</div>
<div class="modal-backdrop" id="confirm" hidden>
  <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
    <h3 id="confirm-title"></h3>
    <div id="confirm-text" class="modal-text"></div>
    <div class="modal-buttons"><button type="button" id="confirm-no">Cancel</button><button type="button" id="confirm-yes">Yes</button></div>
  </div>
</div>
</body>
</html>
`;
