// ptkb explorer: wire the graph view (page.js) on load and after each in-place update, mark what the
// last change gained, filter the scenario list as you type, and the large-text mode for a projector.
function ptkbWire() {
  // The result pane carries its proofs (conclusion -> node ids, step numbers) and the nodes the last
  // change gained as data attributes (htmx does not keep script elements of swapped content).
  const result = document.querySelector('.result[data-proofs]');
  if (!result || result.dataset.wired) return;
  result.dataset.wired = '1';
  ptkbView(result, JSON.parse(result.dataset.proofs));
  JSON.parse(result.dataset.marks || '{"gained": []}').gained.forEach(function (id) {
    const node = document.getElementById(id);
    if (node) node.classList.add('gained');
  });
}

function ptkbLarge(on) {
  document.documentElement.classList.toggle('large', on);
  const button = document.getElementById('large-mode');
  if (button) button.setAttribute('aria-pressed', on ? 'true' : 'false');
  try { localStorage.setItem('ptkb-large', on ? '1' : ''); } catch (e) { /* private mode: not kept */ }
}

document.addEventListener('DOMContentLoaded', function () {
  let large = false;
  try { large = localStorage.getItem('ptkb-large') === '1'; } catch (e) { large = false; }
  ptkbLarge(large);
  document.getElementById('large-mode').addEventListener('click', function () {
    ptkbLarge(!document.documentElement.classList.contains('large'));
  });
  ptkbWire();
  const search = document.getElementById('scenario-search');
  if (search) search.addEventListener('input', function () {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    document.querySelectorAll('.scenario').forEach(function (li) {
      const hit = words.every(w => li.dataset.search.indexOf(w) >= 0);
      li.hidden = !hit; if (hit) shown += 1;
    });
    document.querySelectorAll('section.area').forEach(function (s) {
      const left = s.querySelectorAll('.scenario:not([hidden])').length;
      s.hidden = !left;
      s.querySelector('h2 small').textContent = '(' + left + ')';
    });
    document.getElementById('search-status').textContent = words.length ? shown + ' found' : '';
  });
});

// after an update the new result pane is not wired yet (an answer pane swapped into it leaves it be)
document.addEventListener('htmx:afterSettle', ptkbWire);
document.addEventListener('htmx:beforeRequest', function (ev) {
  if (ev.detail.elt && ev.detail.elt.id === 'findings') document.body.classList.add('busy');
});
document.addEventListener('htmx:afterRequest', function () { document.body.classList.remove('busy'); });
