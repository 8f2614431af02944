// The editors' workspace: hear a sentence, follow the recording, correct and save.
// Plain JavaScript, no build step. Every change goes to the workspace with its token in the
// X-Review-Token header and the version of what this page was shown.
"use strict";
(function () {
  const token = document.querySelector('meta[name="review-token"]').content;
  const audio = document.getElementById("player");
  const status = document.getElementById("status");
  const rateLabel = document.getElementById("rate");
  const followBox = document.getElementById("follow");
  const tools = document.getElementById("tools");
  const rename = document.getElementById("rename");
  const KEPT = "review-position";
  let rows = [];
  let starts = [];
  let current = null;

  function collect() {
    rows = Array.from(document.querySelectorAll("tr.sentence"));
    rows.sort(function (a, b) { return startOf(a) - startOf(b); });
    starts = rows.map(startOf);
  }
  function startOf(row) { return parseFloat(row.dataset.start); }

  function say(message, kind) {
    status.textContent = message;
    status.className = kind || "";
  }

  async function post(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-Review-Token": token },
      });
    } catch (error) {
      return { ok: false, message: "The workspace does not answer (was 'session-pipeline review' " +
               "stopped?); nothing was saved and your text is kept here." };
    }
    let data;
    try { data = await response.json(); } catch (error) { data = {}; }
    data.ok = response.ok && data.ok !== false;
    if (!data.ok && !data.message) data.message = "The workspace refused the change (" + response.status + ").";
    return data;
  }

  function unsavedText() {
    return Array.from(document.querySelectorAll(".editor textarea"))
      .some(function (area) { return area.value !== area.dataset.original; });
  }

  function reloadKeepingPlace() {
    if (unsavedText()) {
      say("Saved. Save or cancel the text still open, then reload the page to see the change " +
          "everywhere.", "ok");
      closeDialogs();
      return;
    }
    sessionStorage.setItem(KEPT, JSON.stringify({
      time: audio ? audio.currentTime : 0, scroll: window.scrollY }));
    window.location.reload();
  }

  function restorePlace() {
    const kept = sessionStorage.getItem(KEPT);
    if (!kept) return;
    sessionStorage.removeItem(KEPT);
    const place = JSON.parse(kept);
    window.scrollTo(0, place.scroll || 0);
    if (audio && place.time) audio.currentTime = place.time;
  }

  // -- hearing -------------------------------------------------------------------------
  function playFrom(seconds) {
    if (!audio) {
      const problem = document.getElementById("recording-problem");
      say(problem ? problem.textContent : "There is no recording to play.", "problem");
      return;
    }
    audio.currentTime = Math.max(0, seconds);
    audio.play().catch(function () {});
  }

  function indexAt(seconds) {
    let low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] <= seconds + 0.01) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  }

  function highlight() {
    if (!audio) return;
    const index = indexAt(audio.currentTime);
    const row = index >= 0 ? rows[index] : null;
    if (row === current) return;
    if (current) current.classList.remove("current");
    current = row;
    if (!row) return;
    row.classList.add("current");
    if ((!followBox || followBox.checked) && !document.querySelector(".editor")) keepInView(row);
  }

  function keepInView(row) {
    const box = row.getBoundingClientRect();
    const top = document.querySelector(".bar").getBoundingClientRect().bottom;
    if (box.top < top || box.bottom > window.innerHeight) row.scrollIntoView({ block: "center" });
  }

  function step(delta) {
    if (!audio || !rows.length) return;
    let index = current ? rows.indexOf(current) : indexAt(audio.currentTime);
    if (index < 0 && delta > 0) index = -1;
    const next = Math.min(rows.length - 1, Math.max(0, index + delta));
    audio.currentTime = starts[next];
    highlight();
  }

  function jump(seconds) {
    if (audio) audio.currentTime = Math.max(0, Math.min(audio.duration || Infinity, audio.currentTime + seconds));
  }

  function changeRate(delta) {
    if (!audio) return;
    audio.playbackRate = Math.min(2, Math.max(0.5, Math.round((audio.playbackRate + delta) * 10) / 10));
    rateLabel.textContent = audio.playbackRate.toFixed(1) + "×";
  }

  function toggle() {
    if (!audio) return playFrom(0);
    if (audio.paused) audio.play().catch(function () {}); else audio.pause();
  }

  if (audio) {
    audio.addEventListener("timeupdate", highlight);
    audio.addEventListener("seeked", highlight);
    audio.addEventListener("error", function () {
      say("The recording cannot be played here (the workspace refused it, or this browser " +
          "cannot decode it).", "problem");
    });
  }

  // -- keys ----------------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    const typing = event.target.closest("textarea, input, select");
    if (typing) {
      if (event.ctrlKey && event.key === " ") { event.preventDefault(); toggle(); }
      if (event.key === "Escape" && typing.closest(".tools")) closeDialogs();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && event.target.tagName === "BUTTON") return;
    const actions = {
      " ": toggle, "k": toggle,
      "ArrowLeft": function () { jump(-5); }, "j": function () { jump(-5); },
      "ArrowRight": function () { jump(5); }, "l": function () { jump(5); },
      "ArrowDown": function () { step(1); }, "n": function () { step(1); },
      "ArrowUp": function () { step(-1); }, "p": function () { step(-1); },
      "[": function () { changeRate(-0.1); }, "]": function () { changeRate(0.1); },
      "Enter": editHeard, "e": editHeard,
      "Escape": closeDialogs,
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // -- editing a sentence ----------------------------------------------------------------
  function editHeard() {
    const row = current || rows[0];
    if (row) openSentenceEditor(row.querySelector("td.text[data-version]"));
  }

  function editorFor(text, rowsShown, onSave) {
    const box = document.createElement("div");
    box.className = "editor";
    box.innerHTML = '<textarea></textarea><div class="actions"><button type="button" class="save">Save</button>' +
      '<button type="button" class="cancel">Cancel</button><span class="hint">Ctrl+Enter saves, Esc cancels</span>' +
      '<span class="message"></span></div>';
    const area = box.querySelector("textarea");
    area.value = text;
    area.rows = rowsShown;
    area.dataset.original = text;
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.ctrlKey) { event.preventDefault(); onSave(); }
      if (event.key === "Escape") { event.preventDefault(); box.querySelector(".cancel").click(); }
    });
    box.querySelector(".save").addEventListener("click", onSave);
    return box;
  }

  function openSentenceEditor(cell) {
    if (!cell) return;
    const open = cell.querySelector(".editor textarea");
    if (open) { open.focus(); return; }
    const text = cell.querySelector(".words").textContent.trim();
    const box = editorFor(text, Math.max(2, Math.ceil(text.length / 60)), function () { saveSentence(cell); });
    box.querySelector(".cancel").addEventListener("click", function () {
      box.remove();
      cell.classList.remove("editing");
    });
    cell.classList.add("editing");
    cell.appendChild(box);
    box.querySelector("textarea").focus();
  }

  async function saveSentence(cell) {
    const row = cell.closest("tr");
    const area = cell.querySelector(".editor textarea");
    const result = await post("/api/sentence", {
      language: cell.dataset.language, id: parseInt(row.dataset.id, 10),
      text: area.value, version: cell.dataset.version });
    if (!result.ok) {
      cell.querySelector(".editor .message").textContent = result.message;
      say(result.message, "problem");
      return;
    }
    replaceRow(row, result.row, cell.dataset.language);
    say("Saved: sentence " + row.dataset.id + " (" + cell.dataset.language + ").", "ok");
  }

  function replaceRow(row, html, saved) {
    const table = document.createElement("table");
    table.innerHTML = "<tbody>" + html + "</tbody>";
    const fresh = table.querySelector("tr");
    Array.from(fresh.cells).forEach(function (cell, index) {
      const old = row.cells[index];
      const keep = old.querySelector(".editor") && old.dataset.language !== saved;
      if (!keep) old.replaceWith(cell);
    });
    Array.from(fresh.attributes).forEach(function (attribute) { row.setAttribute(attribute.name, attribute.value); });
  }

  // -- editing a summary -----------------------------------------------------------------
  function openSummaryEditor(summary) {
    if (summary.querySelector(".editor")) return;
    const shown = summary.querySelector(".summary-text");
    const box = editorFor(shown.textContent, 10, function () { saveSummary(summary); });
    box.querySelector(".cancel").addEventListener("click", function () {
      box.remove();
      shown.hidden = false;
    });
    shown.hidden = true;
    shown.after(box);
    box.querySelector("textarea").focus();
  }

  async function saveSummary(summary) {
    const area = summary.querySelector(".editor textarea");
    const result = await post("/api/summary", {
      language: summary.dataset.language, item: summary.dataset.item,
      text: area.value, version: summary.dataset.version });
    if (!result.ok) {
      summary.querySelector(".editor .message").textContent = result.message;
      say(result.message, "problem");
      return;
    }
    const holder = document.createElement("div");
    holder.innerHTML = result.summary;
    summary.replaceWith(holder.firstElementChild);
    say("Saved: the " + summary.dataset.language + " summary of this item.", "ok");
  }

  // -- a sentence's tools: its speaker, an agenda item starting with it -------------------
  let toolsRow = null;

  function openTools(row) {
    closeDialogs();
    toolsRow = row;
    tools.querySelector(".which").textContent = row.dataset.id + " (" + row.querySelector(".play").textContent + ")";
    tools.querySelector(".message").textContent = "";
    const voice = tools.querySelector("select[name=speaker]");
    const turn = tools.querySelector(".set-turn");
    if (voice) {
      voice.value = row.dataset.speaker || "";
      const count = row.dataset.turn.split(",").length;
      turn.textContent = "for the whole turn (" + count + " sentence" + (count === 1 ? "" : "s") + ")";
    }
    const item = tools.querySelector("select[name=item]");
    if (item) {
      const here = row.closest("section.item");
      const next = here && here.nextElementSibling;
      item.value = next && next.dataset.item ? next.dataset.item : (here && here.dataset.item) || item.value;
    }
    tools.hidden = false;
    (voice || item || tools.querySelector(".close")).focus();
  }

  async function setVoice(whole) {
    const row = toolsRow;
    const ids = whole ? row.dataset.turn.split(",").map(Number) : [parseInt(row.dataset.id, 10)];
    const result = await post("/api/voice", {
      ids: ids, speaker: tools.querySelector("select[name=speaker]").value,
      version: whole ? row.dataset.turnVersion : row.dataset.voiceVersion });
    finishTool(result, tools);
  }

  async function setStart(itemId, sentence) {
    const item = document.querySelector('section.item[data-item="' + CSS.escape(itemId) + '"]');
    const result = await post("/api/boundary", { item: itemId, sentence: sentence, version: item.dataset.version });
    finishTool(result, tools.hidden ? null : tools);
  }

  function finishTool(result, dialog) {
    if (result.ok) { reloadKeepingPlace(); return; }
    if (dialog) dialog.querySelector(".message").textContent = result.message;
    say(result.message, "problem");
  }

  function moveStart(section, later) {
    const own = section.querySelectorAll("tr.sentence");
    let target = null;
    if (later) {
      target = own.length > 1 ? own[1] : null;
    } else {
      let before = section.previousElementSibling;
      while (before && !before.querySelector("tr.sentence")) before = before.previousElementSibling;
      const theirs = before ? before.querySelectorAll("tr.sentence") : [];
      target = theirs.length ? theirs[theirs.length - 1] : null;
    }
    if (!target) { say("There is no sentence to move this item's start to.", "problem"); return; }
    setStart(section.dataset.item, parseInt(target.dataset.id, 10));
  }

  // -- naming a voice ----------------------------------------------------------------------
  let renamed = null;

  function openRename(speaker) {
    closeDialogs();
    renamed = speaker;
    rename.querySelector(".which").textContent = speaker.dataset.display + " (" + speaker.dataset.label + ")";
    rename.querySelector("input[name=name]").value = speaker.dataset.name;
    rename.querySelector("input[name=role]").value = speaker.dataset.role;
    rename.querySelector(".message").textContent = "";
    rename.hidden = false;
    rename.querySelector("input[name=name]").focus();
  }

  async function saveName() {
    const result = await post("/api/speaker", {
      label: renamed.dataset.label, name: rename.querySelector("input[name=name]").value,
      role: rename.querySelector("input[name=role]").value, version: renamed.dataset.version });
    finishTool(result, rename);
  }

  function closeDialogs() {
    tools.hidden = true;
    rename.hidden = true;
  }

  // -- translating again -------------------------------------------------------------------
  async function translateAgain(button) {
    const message = document.getElementById("translate-message");
    button.disabled = true;
    message.textContent = "";
    say("Translating again the sentences out of date…");
    const result = await post("/api/translate", {});
    button.disabled = false;
    if (result.ok) { reloadKeepingPlace(); return; }
    message.textContent = result.message;
    say(result.message, "problem");
  }

  // -- exporting the files -------------------------------------------------------------------
  async function exportFiles(button) {
    button.disabled = true;
    say("Exporting the files from the corrected sentences…");
    const result = await post("/api/export", {});
    button.disabled = false;
    say(result.message, result.ok ? "ok" : "problem");
  }

  // -- clicks ------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    const target = event.target;
    const on = function (selector) { return target.closest(selector); };
    if (on(".editor") || on(".tools")) {
      if (on("#tools .close") || on("#rename .close")) closeDialogs();
      else if (on("#tools .set-turn")) setVoice(true);
      else if (on("#tools .set-sentence")) setVoice(false);
      else if (on("#tools .set-start")) setStart(tools.querySelector("select[name=item]").value, parseInt(toolsRow.dataset.id, 10));
      else if (on("#rename .save")) saveName();
      return;
    }
    if (on("td.text .edit")) { openSentenceEditor(on("td.text")); return; }
    if (on(".more")) { openTools(on("tr.sentence")); return; }
    if (on(".edit-summary")) { openSummaryEditor(on(".summary")); return; }
    if (on(".rename")) { openRename(on("li.speaker")); return; }
    if (on(".start-earlier")) { moveStart(on("section.item"), false); return; }
    if (on(".start-later")) { moveStart(on("section.item"), true); return; }
    if (on(".start-auto")) { setStart(on("section.item").dataset.item, null); return; }
    if (on("#translate-again")) { translateAgain(target); return; }
    if (on("#export")) { exportFiles(target); return; }
    const word = on("mark.low[data-at]");
    if (word && !window.getSelection().toString()) { playFrom(parseFloat(word.dataset.at) - 0.5); return; }
    const row = on("tr.sentence");
    if (row && !window.getSelection().toString()) {
      playFrom(startOf(row));
      if (target.tagName === "BUTTON") target.blur();
    }
  });

  // -- leaving with unsaved text -------------------------------------------------------------
  window.addEventListener("beforeunload", function (event) {
    if (unsavedText()) { event.preventDefault(); event.returnValue = ""; }
  });

  collect();
  restorePlace();
  highlight();
})();
