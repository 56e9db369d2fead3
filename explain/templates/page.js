// ptkb report: pan/zoom (svg-pan-zoom), proof highlighting with step badges, search, #id links.
// ptkbView(root, proofs) wires one view (the report page, or the explorer's result pane after each
// update); `proofs` maps a conclusion id to the ids of its proof's nodes and edges and step numbers.
let ptkbPanZoom = null;
window.addEventListener('resize', function () { if (ptkbPanZoom) ptkbPanZoom.resize(); });
function ptkbView(root, PROOFS) {
  const svg = root.querySelector('#graph svg');
  if (!svg) return null;
  svg.removeAttribute('width'); svg.removeAttribute('height');
  const pz = svgPanZoom(svg, {zoomEnabled: true, controlIconsEnabled: false, fit: true, center: true,
                              minZoom: 0.2, maxZoom: 40, zoomScaleSensitivity: 0.3, dblClickZoomEnabled: false});
  const LEGIBLE = 0.9;  // screen pixels per point at least: 14 pt labels stay >= 12.6 px

  function zoomToNodes(nodes, target) {
    // Fit these nodes in the pane, but never below legible size; a proof too wide to fit is shown from
    // its right end (the conclusion and the last rules), centred on `target` vertically.
    if (!nodes.length) return;
    const box = root.querySelector('#graph').getBoundingClientRect();
    function bounds() {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      nodes.forEach(function (n) {
        const r = n.getBoundingClientRect();
        x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top); x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
      });
      return {x0: x0, y0: y0, x1: x1, y1: y1};
    }
    // svg-pan-zoom redraws on the next frame, so the new positions are computed, not measured.
    const b = bounds(), cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    let factor = 0.92 * Math.min(box.width / (b.x1 - b.x0), box.height / (b.y1 - b.y0));
    factor = Math.max(factor, LEGIBLE / pz.getSizes().realZoom);
    const px = cx - (b.x0 + b.x1) / 2, py = cy - (b.y0 + b.y1) / 2;
    pz.panBy({x: px, y: py});
    pz.zoomAtPoint(pz.getZoom() * factor, {x: box.width / 2, y: box.height / 2});
    const after = function (x, c, d) { return c + (x + d - c) * factor; };
    const right = after(b.x1, cx, px), left = after(b.x0, cx, px);
    const dx = right - left > box.width ? box.right - 16 - right : 0;
    let dy = 0;
    if ((b.y1 - b.y0) * factor > box.height) {
      const t = (target || nodes[nodes.length - 1]).getBoundingClientRect();
      dy = cy - after((t.top + t.bottom) / 2, cy, py);
    }
    if (dx || dy) pz.panBy({x: dx, y: dy});
  }

  function clearMarks() {
    svg.querySelectorAll('.hl').forEach(e => e.classList.remove('hl'));
    svg.querySelectorAll('.stepno').forEach(e => e.remove());
    svg.classList.remove('dim');
  }

  function badge(node, numbers) {
    // One numbered disc per step the node stands for (the steps of clues folded into it come first).
    const shape = node.querySelector('polygon, ellipse, path');
    if (!shape) return;
    const b = shape.getBBox(), ns = 'http://www.w3.org/2000/svg';
    numbers.forEach(function (number, i) {
      const x = b.x + i * 28;
      const circle = document.createElementNS(ns, 'circle');
      circle.setAttribute('cx', x); circle.setAttribute('cy', b.y); circle.setAttribute('r', 13);
      circle.setAttribute('class', 'stepno');
      const text = document.createElementNS(ns, 'text');
      text.setAttribute('x', x); text.setAttribute('y', b.y + 5.5); text.setAttribute('text-anchor', 'middle');
      text.setAttribute('class', 'stepno'); text.textContent = number;
      node.appendChild(circle); node.appendChild(text);
    });
  }

  function select(el, zoom) {
    const wasActive = el.classList.contains('active');
    root.querySelectorAll('.conclusion[data-id]').forEach(function (e) {
      e.classList.remove('active'); e.setAttribute('aria-expanded', 'false'); });
    clearMarks();
    if (wasActive) { history.replaceState(null, '', location.pathname + location.search); return; }
    el.classList.add('active'); el.setAttribute('aria-expanded', 'true');
    history.replaceState(null, '', '#' + el.dataset.id);
    const proof = PROOFS[el.dataset.id] || {nodes: [], edges: [], steps: {}};
    svg.classList.add('dim');
    const nodes = [];
    proof.nodes.concat(proof.edges).forEach(function (id) {
      const g = document.getElementById(id);
      if (g) { g.classList.add('hl'); if (g.classList.contains('node')) nodes.push(g); }
    });
    Object.keys(proof.steps).forEach(function (id) {
      const g = document.getElementById(id); if (g) badge(g, proof.steps[id]); });
    if (zoom !== false) zoomToNodes(nodes, document.getElementById(proof.target));
  }

  root.querySelectorAll('.conclusion[data-id]').forEach(function (el) {
    el.addEventListener('click', function () { select(el); });
  });
  root.querySelectorAll('.area[data-cluster]').forEach(function (el) {
    el.addEventListener('click', function () {
      const cluster = document.getElementById(el.dataset.cluster);
      if (cluster) { pz.fit(); pz.center(); zoomToNodes([cluster]); }
    });
  });
  root.querySelector('#zoom-in').onclick = function () { pz.zoomIn(); };
  root.querySelector('#zoom-out').onclick = function () { pz.zoomOut(); };
  root.querySelector('#zoom-fit').onclick = function () { pz.resize(); pz.fit(); pz.center(); };
  root.querySelector('#graph').addEventListener('keydown', function (ev) {
    const step = 60, keys = {'+': () => pz.zoomIn(), '=': () => pz.zoomIn(), '-': () => pz.zoomOut(),
      '0': () => { pz.fit(); pz.center(); }, 'ArrowLeft': () => pz.panBy({x: step, y: 0}),
      'ArrowRight': () => pz.panBy({x: -step, y: 0}), 'ArrowUp': () => pz.panBy({x: 0, y: step}),
      'ArrowDown': () => pz.panBy({x: 0, y: -step})};
    if (keys[ev.key]) { keys[ev.key](); ev.preventDefault(); }
  });

  const search = root.querySelector('#search');
  if (search) search.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter') return;
    const wanted = search.value.trim().toLowerCase();
    svg.querySelectorAll('.found').forEach(e => e.classList.remove('found'));
    const hits = Array.from(svg.querySelectorAll('g.node')).filter(function (g) {
      const t = g.querySelector('title'); return t && t.textContent.toLowerCase().replace(/^[a-z]+_/, '').replace(/_/g, '-')
        .indexOf(wanted.replace(/_/g, '-')) >= 0; });
    hits.forEach(g => g.classList.add('found'));
    root.querySelector('#status').textContent = hits.length ? hits.length + ' found' : 'nothing found';
    zoomToNodes(hits.slice(0, 12));
  });

  // report.html#grade_2 opens on that conclusion's proof.
  const chosen = root.querySelector('.conclusion[data-id="' + CSS.escape(decodeURIComponent(location.hash.slice(1))) + '"]');
  ptkbPanZoom = pz;
  if (chosen) { chosen.scrollIntoView({block: 'center'}); select(chosen); }
  return pz;
}
