/* The one time control: a range of months (from, to) over a page's month axis, drawn by
   templates/_timerange.html. The overview's map and timeline and the incident map listen to
   it. Two labelled range inputs (arrow keys, Home, End, Page Up/Down move them), each telling
   assistive technology its month by name (aria-valuetext), and a play button that slides
   the range forward a month at a time.

   BHTimeRange.create(fieldset, months) -> {
     get()            { from, to, fromMonth, toMonth }: indexes on the axis and YYYY-MM values
     set(from, to)    both ends (swapped if given the wrong way round)
     moveTo(index)    end the range at `index`, keeping its length (a month chosen elsewhere)
     indexOf(value)   the index of a YYYY-MM month, or -1
     onChange(fn)     fn(state) after every change, from the inputs, play or a call
   }
   The fieldset carries the range as data-from and data-to (YYYY-MM), for the browser tests. */
(function () {
  "use strict";

  const PLAY_STEP_MS = 400;

  function create(fieldset, months) {
    const fromInput = fieldset.querySelector(".timerange-from");
    const toInput = fieldset.querySelector(".timerange-to");
    const output = fieldset.querySelector(".timerange-label");
    const play = fieldset.querySelector(".timerange-play");
    const last = months.length - 1;
    const listeners = [];
    let timer = null;

    const clamp = (index) => Math.max(0, Math.min(last, Math.round(Number(index)) || 0));

    function get() {
      const from = Number(fromInput.value);
      const to = Number(toInput.value);
      return { from, to, fromMonth: months[from].value, toMonth: months[to].value };
    }

    function changed() {
      const state = get();
      fromInput.setAttribute("aria-valuetext", months[state.from].label);
      toInput.setAttribute("aria-valuetext", months[state.to].label);
      output.textContent = state.from === state.to ? months[state.to].label : months[state.from].label + " – " + months[state.to].label;
      fieldset.dataset.from = state.fromMonth;
      fieldset.dataset.to = state.toMonth;
      listeners.forEach((listener) => listener(state));
    }

    function set(from, to) {
      from = clamp(from);
      to = clamp(to);
      if (from > to) [from, to] = [to, from];
      fromInput.value = String(from);
      toInput.value = String(to);
      changed();
    }

    function moveTo(index) {
      const state = get();
      index = clamp(index);
      set(Math.max(0, index - (state.to - state.from)), index);
    }

    // One end pushed past the other takes it along: the range is never empty.
    fromInput.addEventListener("input", () => {
      if (Number(fromInput.value) > Number(toInput.value)) toInput.value = fromInput.value;
      changed();
    });
    toInput.addEventListener("input", () => {
      if (Number(toInput.value) < Number(fromInput.value)) fromInput.value = toInput.value;
      changed();
    });

    function setPlaying(playing) {
      const label = playing ? play.dataset.pauseLabel : play.dataset.playLabel;
      play.textContent = playing ? "❚❚" : "▶";
      play.setAttribute("aria-label", label);
      play.title = label;
      play.setAttribute("aria-pressed", String(playing));
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      setPlaying(false);
    }

    if (play) {
      setPlaying(false);
      play.addEventListener("click", () => {
        if (timer) return stop();
        const state = get();
        // At the end already: start again from the beginning, with the same length.
        if (state.to >= last) set(0, state.to - state.from);
        setPlaying(true);
        timer = setInterval(() => {
          const now = get();
          if (now.to >= last) return stop();
          moveTo(now.to + 1);
        }, PLAY_STEP_MS);
      });
    }

    changed();
    return {
      get,
      set,
      moveTo,
      indexOf: (value) => months.findIndex((month) => month.value === value),
      onChange: (listener) => listeners.push(listener),
    };
  }

  window.BHTimeRange = { create };
})();
