// Loaded in the page's <head> (ui/app.py). Gradio 6 has no Danish translation of its own texts and picks
// its language from the browser, so its built-in English texts are replaced here as they appear; the
// app's own texts are Danish already. Also: a click on a point of the map opens its theme, and a click in
// the review queue right after a decision is dropped (see HOLD).
(() => {
  const DA = {
    "Drop File Here": "Slip filen her", "- or -": "- eller -", "or": "eller", "Click to Upload": "Klik for at vælge en fil",
    "Drop CSV Here": "Slip CSV-filen her", "Uploading...": "Henter filen …", "Error": "Fejl", "Warning": "Advarsel",
    "Info": "Besked", "Success": "Udført", "Sort ascending": "Sortér stigende", "Sort descending": "Sortér faldende",
    "Sort column": "Sortér kolonne", "Clear sort": "Fjern sortering", "Filter": "Filtrér", "Clear filters": "Fjern filtre",
    "Copy table data": "Kopiér tabellen", "Fullscreen": "Fuld skærm", "Exit fullscreen mode": "Luk fuld skærm",
    "Exit fullscreen": "Luk fuld skærm", "Open cell menu": "Åbn kolonnemenu", "Table actions": "Tabelhandlinger",
    "Select All": "Vælg alle", "Select all": "Vælg alle", "Deselect All": "Fravælg alle", "Clear": "Ryd", "Remove": "Fjern",
    "Download": "Hent", "Download All": "Hent alle", "Loading...": "Indlæser …", "Loading": "Indlæser", "Close": "Luk",
    "Copy": "Kopiér", "Copied": "Kopieret", "Empty": "Tom", "Search": "Søg", "Submit": "Send", "Cancel": "Annullér",
    "Reset": "Nulstil", "Reset to default value": "Nulstil", "Built with Gradio": "", "Use via API": "", "Settings": "Indstillinger",
    "processing |": "arbejder |", "Plot": "Diagram", "Number": "Tal", "Dropdown": "Rulleliste", "Checkbox Group": "Afkrydsning",
    "Lost connection due to leaving page. Rejoining queue...": "Forbindelsen blev afbrudt. Forbinder igen …",
    "Connection errored out.": "Forbindelsen til appen er afbrudt.", "Zoom in": "Zoom ind", "Zoom out": "Zoom ud",
    "Reset axes": "Nulstil akser", "Autoscale": "Tilpas", "Pan": "Panorér", "Box Select": "Vælg område",
    "Lasso Select": "Vælg med lasso", "Download plot as a png": "Hent som billede", "Produced with Plotly": "Lavet med Plotly",
    "Reset view": "Nulstil visning", "Toggle Spike Lines": "Hjælpelinjer", "Show closest data on hover": "Vis nærmeste punkt",
    "Compare data on hover": "Sammenlign punkter", "Reset camera to default": "Nulstil",
    "Static column": "Låst kolonne", "Edit cell": "Redigér cellen", "Add row": "Tilføj række", "New row": "Ny række",
    "Add column": "Tilføj kolonne", "Add row above": "Tilføj række over", "Add row below": "Tilføj række under",
    "Delete row": "Slet rækken", "Delete column": "Slet kolonnen", "Add column to the left": "Tilføj kolonne til venstre",
    "Add column to the right": "Tilføj kolonne til højre", "Filtered": "Filtreret", "Copied to clipboard": "Kopieret",
    "Apply filter and update dataframe values": "Anvend filtret", "Contains": "Indeholder",
    "Does not contain": "Indeholder ikke", "Starts with": "Begynder med", "Ends with": "Slutter med", "Is": "Er",
    "Is not": "Er ikke", "Is empty": "Er tom", "Is not empty": "Er ikke tom",
    "Download plot as a PNG": "Hent som billede", "Textbox": "Tekstfelt", "Image": "Billede",
    "Click to upload or drop files": "Klik for at vælge en fil, eller slip den her",
    "Drop CSV or TSV files here to import data into dataframe":
      "Slip en CSV- eller TSV-fil her for at lægge den i tabellen",
    "common.complete": "Færdig", "More tabs": "Flere faner", "File upload": "Vælg en fil", "Empty value": "Intet valgt",
    "Gradio footer navigation": "Sidefod",
  };
  const PLOTLY_LOGO = /^Produced with Plotly(\.js)?( \(v[\d.]+\))?$/;   // the chart toolbar's logo, with its version
  const SECONDS = /^(\d+)\.(\d+)s$/;         // the status tracker's timer ("2.0s")
  const ELAPSED = /^(\d+)\.(\d+)\/(\d+)\.(\d+)s$/;   // ... with its estimate ("0.2/0.3s")
  const QUEUE = /^queue: (\d+)\/(\d+)( \|)?$/;   // ... while waiting its turn ("queue: 1/1 |")
  const SIZE = /^(\d+)\.(\d+)\s(B|KB|MB|GB)$/;   // a file's size in the download list ("41.2 KB")
  const PERCENT = /^([^A-Za-zÆØÅæøå]*?)(\d+)\.(\d+)%$/;   // the progress bar's share done ("4.3%", "- 0.0%")
  const REFUSED = /^Invalid file types?: (.+)\. Only (.+) allowed\.$/;   // an upload of a type not offered
  const translate = (text) => {
    const key = text.trim();
    if (key in DA) return text.replace(key, DA[key]);
    const t = key.match(SECONDS);
    if (t) return `${t[1]},${t[2]} s`;
    const e = key.match(ELAPSED);
    if (e) return `${e[1]},${e[2]}/${e[3]},${e[4]} s`;
    const q = key.match(QUEUE);
    if (q) return `i kø: ${q[1]}/${q[2]}${q[3] || ""}`;
    const p = key.match(PERCENT);
    if (p) return `${p[1]}${p[2]},${p[3]} %`;
    const r = key.match(REFUSED);
    if (r) return `${r[1]} kan ikke bruges: filtypen kendes ikke. Vælg en fil af typen ${r[2].replace(/, ([^,]*)$/, " eller $1")}.`;
    const size = key.match(SIZE);
    return size ? `${size[1]},${size[2]} ${size[3] === "KB" ? "kB" : size[3]}` : null;
  };
  globalThis.textmineTranslate = translate;     // for the tests (tests/test_app.py runs this file in Node)
  const ATTRS = ["placeholder", "aria-label", "title", "data-title"];
  const fixAttrs = (node) => {
    if (!node.getAttribute) return;
    for (const a of ATTRS) {
      const v = node.getAttribute(a);
      if (v && v.trim() in DA && DA[v.trim()] !== v) node.setAttribute(a, DA[v.trim()]);
      else if (v && PLOTLY_LOGO.test(v.trim())) node.setAttribute(a, "Lavet med Plotly");
    }
  };
  const fix = (node) => {
    if (node.nodeType === 3) {
      const done = translate(node.nodeValue);
      if (done !== null && done !== node.nodeValue) node.nodeValue = done;
      return;
    }
    if (node.nodeType !== 1) return;
    fixAttrs(node);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) {
        const done = translate(n.nodeValue);
        if (done !== null && done !== n.nodeValue) n.nodeValue = done;
      } else fixAttrs(n);
    }
  };
  const PLACEHOLDERS = { "#merge-ids input": "Slå det valgte tema sammen med …", "#target input": "Flyt til tema: skriv en del af navnet …",
                         "#project input": "Vælg et projekt …", "#back-point input": "Vælg et punkt i historikken …",
                         ".tm-other input": "Eller flyt til …" };
  const placeholders = () => {
    for (const [sel, text] of Object.entries(PLACEHOLDERS)) {
      for (const box of document.querySelectorAll(sel))
        if (box.getAttribute("placeholder") !== text) box.setAttribute("placeholder", text);
    }
    for (const box of document.querySelectorAll("#target input"))   // a long chosen name, whole on hover
      if (box.title !== box.value) box.title = box.value;
  };
  const hookMap = () => {
    const plot = document.querySelector("#map .js-plotly-plot");
    if (!plot || plot.dataset.tmHooked || typeof plot.on !== "function") return;
    plot.dataset.tmHooked = "1";
    plot.on("plotly_click", (event) => {
      const point = event.points && event.points[0];
      const box = document.querySelector("#map-pick textarea, #map-pick input");
      if (!point || !box) return;
      box.value = `${point.customdata[0]}:${Date.now()}`;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      setTimeout(() => document.querySelector("#map-go").click(), 50);
    });
  };
  const start = () => {
    fix(document.body);
    new MutationObserver((changes) => {
      queueMoved(changes);
      for (const c of changes) {
        if (c.type === "characterData") fix(c.target);
        else if (c.type === "attributes") fixAttrs(c.target);
        else c.addedNodes.forEach(fix);
      }
      hookMap();
      placeholders();
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
                                 attributeFilter: ATTRS });
    setInterval(hookMap, 1000);
  };
  // Gennemse: a handled answer's row disappears and the next row's buttons slide under the pointer, so after
  // a decision the queue takes no click until HOLD ms after its rows first moved (or a second, if they do not
  // move in that time): a quick second click never decides an answer nobody has read.
  const HOLD = 500;
  let holdUntil = 0, armed = false;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("#review-queue button");
    if (!button) return;
    const now = performance.now();
    if (now < holdUntil) { event.stopPropagation(); event.preventDefault(); return; }
    armed = true;
    holdUntil = now + 1000;
  }, true);
  const queueMoved = (changes) => {            // the first change in the queue after the decision
    if (!armed) return;
    armed = false;
    if (performance.now() > holdUntil) return;
    const inQueue = (c) => { const el = c.target.nodeType === 1 ? c.target : c.target.parentElement;
                             return el && el.closest && el.closest("#review-queue"); };
    if (changes.some(inQueue)) holdUntil = performance.now() + HOLD;
    else armed = true;
  };
  document.documentElement.lang = "da";
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
