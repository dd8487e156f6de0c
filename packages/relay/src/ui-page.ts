/** The live view's stylesheet; its hash goes into the page's Content-Security-Policy. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --line: #8884; --muted: #888; --accent: #2a7de1; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; }
header { display: flex; gap: 1em; align-items: baseline; padding: .75em 1.25em; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1em; margin: 0; }
#status { color: var(--muted); }
#status.live { color: #2e9d4f; }
main { padding: 1.25em; }
#stream { max-height: 55vh; overflow: auto; margin-bottom: 1.5em; }
#panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(32em, 1fr)); gap: 1.5em; }
#panels section { min-width: 0; overflow-x: auto; }
section h2 { font-size: 1em; margin: 0 0 .5em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2em .5em; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 18em; }
th { color: var(--muted); font-weight: 600; }
td.mono { font-family: ui-monospace, monospace; font-size: .9em; }
tr.fresh { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: #2a7de133; } to { background: transparent; } }
.empty, .error { color: var(--muted); font-style: italic; }
.error { color: #c33; }
`;

/**
 * The live view's script. Every value from the server reaches the DOM through `textContent`,
 * never as markup: repository names, tags and errors come from whoever pushed.
 */
export const PAGE_SCRIPT = `
const MAX_ROWS = 200;
const EVENT_COLUMNS = [['receivedAt', 'received'], ['action', 'action'], ['repository', 'repository'], ['tag', 'tag'], ['digest', 'digest'], ['format', 'format'], ['position', 'position']];
const shown = new Set();
const rows = document.getElementById('events');
const status = document.getElementById('status');
const count = document.getElementById('count');

function cell(tag, value, className) {
  const element = document.createElement(tag);
  element.textContent = value === undefined || value === null ? '' : String(value);
  if (className) element.className = className;
  return element;
}

const headRow = document.createElement('tr');
for (const [, label] of EVENT_COLUMNS) headRow.append(cell('th', label));
document.getElementById('event-head').append(headRow);

function short(summary, key) {
  const value = summary[key] || '';
  if (key === 'digest') return value.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
  if (key === 'receivedAt') return value.slice(11, 23);
  return value;
}

function addEvent(summary, fresh) {
  const id = summary.partition + '/' + summary.position;
  if (shown.has(id)) return;
  shown.add(id);
  const row = document.createElement('tr');
  row.dataset.repository = summary.repository;
  if (fresh) row.className = 'fresh';
  for (const [key] of EVENT_COLUMNS) {
    const td = cell('td', short(summary, key), key === 'digest' || key === 'position' ? 'mono' : '');
    td.title = summary[key] || '';
    row.append(td);
  }
  rows.prepend(row);
  while (rows.rows.length > MAX_ROWS) rows.deleteRow(-1);
  count.textContent = shown.size + ' event' + (shown.size === 1 ? '' : 's') + ' seen';
}

function renderPanel(view) {
  const id = 'panel-' + String(view.id).replace(/[^A-Za-z0-9-]/g, '');
  let section = document.getElementById(id);
  if (!section) {
    section = document.createElement('section');
    section.id = id;
    document.getElementById('panels').append(section);
  }
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const column of view.columns) head.append(cell('th', column.label));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const values of view.rows) {
    const row = document.createElement('tr');
    for (const column of view.columns) row.append(cell('td', values[column.key]));
    body.append(row);
  }
  const children = [cell('h2', view.title)];
  if (view.error) children.push(cell('p', view.error, 'error'));
  else if (view.rows.length === 0) children.push(cell('p', view.empty, 'empty'));
  else children.push(table);
  section.replaceChildren(...children);
}

const stream = new EventSource('stream');
stream.addEventListener('open', () => { status.textContent = 'live'; status.className = 'live'; });
stream.addEventListener('error', () => { status.textContent = 'reconnecting…'; status.className = ''; });
stream.addEventListener('snapshot', (message) => {
  const snapshot = JSON.parse(message.data);
  for (const summary of snapshot.events) addEvent(summary, false);
  for (const view of snapshot.panels) renderPanel(view);
});
stream.addEventListener('entry', (message) => addEvent(JSON.parse(message.data), true));
stream.addEventListener('panel', (message) => renderPanel(JSON.parse(message.data)));
`;

/** The whole page: one document, nothing loaded from elsewhere. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regevents relay</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>regevents relay</h1><span id="status">connecting…</span><span id="count"></span></header>
<main>
<section id="stream"><h2>Events</h2>
<table><thead id="event-head"></thead><tbody id="events"></tbody></table>
</section>
<div id="panels"></div>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
