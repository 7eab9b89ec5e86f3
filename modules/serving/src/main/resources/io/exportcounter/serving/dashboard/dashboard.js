/*
 * Export Counter operations-center dashboard. Plain JavaScript, no dependencies: everything comes from
 * this instance's API (/api/v1/...) and its live events (/api/v1/events, Server-Sent Events).
 * Money arrives as exact decimal strings; it is turned into cents (a Number is exact far beyond any
 * export total) only to draw and animate it.
 */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const MON = MONTHS.map((m) => m.slice(0, 3));
  const COUNTRIES = { KR: 'Korea' };
  const ZONES = { 'Asia/Seoul': 'KST', 'Asia/Tokyo': 'JST', UTC: 'UTC', 'Etc/UTC': 'UTC' };
  const NAMES = {
    CATEGORY: {
      SEMICONDUCTORS: 'Semiconductors', AUTOMOBILES: 'Automobiles', AUTO_PARTS: 'Auto parts', PETROLEUM_PRODUCTS: 'Petroleum products',
      PETROCHEMICALS: 'Petrochemicals', GENERAL_MACHINERY: 'General machinery', SHIPS: 'Ships', STEEL: 'Steel',
      WIRELESS_DEVICES: 'Wireless devices', DISPLAYS: 'Displays', BIO_HEALTH: 'Bio-health', COMPUTERS: 'Computers',
      AGRI_FOOD: 'Agri-food (K-food)', COSMETICS: 'Cosmetics (K-beauty)', ELECTRICAL_EQUIPMENT: 'Electrical equipment',
      SECONDARY_BATTERIES: 'Secondary batteries', HOME_APPLIANCES: 'Home appliances', TEXTILES: 'Textiles', OTHER: 'Other items',
    },
    REGION: {
      CHINA: 'China', USA: 'United States', ASEAN: 'ASEAN', EU: 'European Union', JAPAN: 'Japan', MIDDLE_EAST: 'Middle East',
      LATIN_AMERICA: 'Latin America', CIS: 'CIS', INDIA: 'India', OTHER_ASIA: 'Other Asia',
      OCEANIA: 'Oceania', AFRICA: 'Africa', NORTH_AMERICA_OTHER: 'Canada & other N. America', EUROPE_OTHER: 'Other Europe', OTHER: 'Other',
    },
    EXPORTER_SIZE: { LARGE: 'Large companies', MIDSIZE: 'Mid-sized companies', SME: 'SMEs', UNKNOWN: 'Exporters of unknown size' },
  };
  const ROWS = 10;
  const NATIONAL_BANNER_MS = 45000;
  const OTHER_BANNER_MS = 15000;

  const state = {
    year: null,
    fixedYear: false,
    zone: 'Asia/Seoul',
    country: 'KR',
    thresholds: [],
    total: null,
    target: 0,
    shown: 0,
    anim: null,
    monthly: null,
    records: new Set(),
    calendarRecords: new Set(),
    known: new Set(),
    fresh: null,
    events: null,
    disconnected: false,
    breakdownTimer: null,
    monthlyFrame: null,
    forecast: null,
    forecastTimer: null,
    banner: null,
    bannerQueue: [],
    bannerTimer: null,
    token: null,
  };

  // ------------------------------------------------------------------ formatting

  function cents(usd) {
    if (usd === null || usd === undefined) return null;
    const negative = usd.startsWith('-');
    const [whole, frac = ''] = (negative ? usd.slice(1) : usd).split('.');
    const c = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
    return negative ? -c : c;
  }

  function trim(n, digits) {
    return String(Number(n.toFixed(digits)));
  }

  /** $173.4B, $912.0M: compact, for tiles, bars and labels. */
  function usdShort(c) {
    if (c === null || c === undefined) return '–';
    const d = Math.abs(c) / 100;
    const sign = c < 0 ? '−' : '';
    if (d >= 1e12) return `${sign}$${(d / 1e12).toFixed(2)}T`;
    if (d >= 1e9) return `${sign}$${(d / 1e9).toFixed(1)}B`;
    if (d >= 1e6) return `${sign}$${(d / 1e6).toFixed(1)}M`;
    return `${sign}$${Math.round(d).toLocaleString('en-US')}`;
  }

  /** $700 billion, $1 trillion, $1.5 trillion: as a threshold is announced. */
  function usdWords(c) {
    const d = c / 100;
    if (d >= 1e12) return `$${trim(d / 1e12, 2)} trillion`;
    if (d >= 1e9) return `$${trim(d / 1e9, 1)} billion`;
    if (d >= 1e6) return `$${trim(d / 1e6, 1)} million`;
    return `$${d.toLocaleString('en-US')}`;
  }

  function percent(part, whole) {
    return whole > 0 ? (part * 100) / whole : 0;
  }

  function change(now, before) {
    if (!before || before <= 0 || now === null) return null;
    return ((now - before) * 100) / before;
  }

  function signed(p) {
    return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}%`;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
  }

  function zoneName() {
    return ZONES[state.zone] || state.zone;
  }

  function countryName() {
    return COUNTRIES[state.country] || state.country;
  }

  function memberName(dimension, member) {
    const known = NAMES[dimension] && NAMES[dimension][member];
    if (known) return known;
    const words = member.toLowerCase().split('_').join(' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  /** The parts of a contract time, written in the reporting zone: 2025-12-29T13:03:27+09:00. */
  function parts(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso || '');
    if (!m) return null;
    return { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] || 0) };
  }

  /** 1:03 p.m. (the contract's style), 12:00 a.m. at midnight. */
  function clock12(p, withSeconds) {
    const h = p.hour % 12 === 0 ? 12 : p.hour % 12;
    const mm = String(p.minute).padStart(2, '0');
    const ss = withSeconds ? `:${String(p.second).padStart(2, '0')}` : '';
    return `${h}:${mm}${ss} ${p.hour < 12 ? 'a.m.' : 'p.m.'}`;
  }

  function longDate(p) {
    return `${MONTHS[p.month - 1]} ${p.day}, ${p.year}`;
  }

  function monthSpan(through, year) {
    return through === 1 ? `${MON[0]} ${year}` : `${MON[0]}–${MON[through - 1]} ${year}`;
  }

  // ------------------------------------------------------------------ API

  // With http.auth.token set, the page is opened as /#token=<token>: the token moves to this tab's
  // sessionStorage, out of the address bar and the history, and goes with every API request.
  const TOKEN_KEY = 'export-counter.token';

  function takeToken() {
    const m = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
    if (m) {
      state.token = decodeURIComponent(m[1]) || null;
      try {
        if (state.token) sessionStorage.setItem(TOKEN_KEY, state.token);
        else sessionStorage.removeItem(TOKEN_KEY);
      } catch (e) {
        // storage disabled: the token lasts as long as the page
      }
      history.replaceState(null, '', window.location.pathname + window.location.search);
      return;
    }
    try {
      state.token = sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      state.token = null;
    }
  }

  function needToken() {
    $('status-line').innerHTML = '<span class="bad">● This instance needs its API token:'
      + ' open the dashboard as <code>/#token=&lt;http.auth.token&gt;</code></span>';
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const response = await fetch(path, { cache: 'no-store', headers });
    if (response.status === 401) {
      needToken();
      throw new Error(`${path}: HTTP 401`);
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // ------------------------------------------------------------------ clock

  function startClock() {
    const tick = () => {
      const now = new Date();
      try {
        $('clock-time').textContent = new Intl.DateTimeFormat('en-GB', {
          timeZone: state.zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
        }).format(now);
        $('clock-date').textContent = `${new Intl.DateTimeFormat('en-US', {
          timeZone: state.zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
        }).format(now)} · ${zoneName()}`;
      } catch (e) {
        $('clock-time').textContent = now.toISOString().slice(11, 19);
      }
    };
    tick();
    setInterval(tick, 1000);
  }

  // ------------------------------------------------------------------ the counter

  function applyTotal(total, live) {
    state.total = total;
    const c = cents(total.totalUsd);
    const counter = $('total');
    counter.dataset.cents = String(c);
    counter.dataset.usd = total.totalUsd;
    if (live && c !== state.target) {
      counter.classList.remove('bump');
      void counter.offsetWidth; // restart the animation
      counter.classList.add('bump');
    }
    animateTo(c);
    $('stat-declarations').textContent = Number(total.declarations).toLocaleString('en-US');
    $('stat-exporters').textContent = total.exporters === null || total.exporters === undefined
      ? '–' : Number(total.exporters).toLocaleString('en-US');
    const p = parts(total.asOf);
    $('total-asof').innerHTML = p
      ? `Latest declaration counted: accepted <strong>${longDate(p)}, ${clock12(p, true)}</strong> ${zoneName()}`
      : 'No declaration counted yet';
    renderProgress(c);
    renderTiles();
  }

  function animateTo(target) {
    state.target = target;
    state.anim = { from: state.shown, to: target, start: performance.now(), duration: 900 };
    requestAnimationFrame(step);
  }

  function step(now) {
    const a = state.anim;
    if (!a) return;
    // A frame's timestamp is when the frame began, which can be before the animation started: clamped,
    // every value drawn lies between the two animated between (unclamped, the easing ran below zero).
    const k = Math.min(1, Math.max(0, (now - a.start) / a.duration));
    const eased = 1 - Math.pow(1 - k, 3);
    drawCounter(Math.round(a.from + (a.to - a.from) * eased));
    if (k < 1) {
      requestAnimationFrame(step);
    } else {
      state.anim = null;
    }
  }

  function drawCounter(c) {
    state.shown = c;
    const abs = Math.abs(c);
    $('total-dollars').textContent = `${c < 0 ? '−' : ''}${Math.floor(abs / 100).toLocaleString('en-US')}`;
    $('total-cents').textContent = `.${String(abs % 100).padStart(2, '0')}`;
  }

  function renderProgress(c) {
    let previous = 0;
    let next = null;
    for (const t of state.thresholds) {
      if (t <= c) {
        previous = t;
      } else {
        next = t;
        break;
      }
    }
    if (next === null) {
      $('progress-label').textContent = state.thresholds.length ? 'Every configured milestone reached' : 'No milestone configured';
      $('progress-value').textContent = '';
      $('progress-fill').style.width = state.thresholds.length ? '100%' : '0%';
      $('progress-from').textContent = previous ? usdWords(previous) : '';
      $('progress-to').textContent = '';
      return;
    }
    const p = Math.max(0, Math.min(100, percent(c - previous, next - previous)));
    $('progress-label').textContent = `Next milestone: ${usdWords(next)}`;
    $('progress-value').innerHTML = `<strong>${p.toFixed(1)}%</strong> of the way · ${usdShort(next - c)} to go`;
    $('progress-fill').style.width = `${p}%`;
    $('progress-from').textContent = previous ? usdWords(previous) : '$0';
    $('progress-to').textContent = usdWords(next);
  }

  /** This month and the previous year, from the monthly figures. */
  function renderTiles() {
    const monthly = state.monthly;
    if (!monthly) return;
    const months = monthly.months;
    const previous = monthly.previousYear ? monthly.previousYear.months : [];
    let last = -1;
    months.forEach((m, i) => { if (m.totalUsd !== null) last = i; });
    if (last >= 0) {
      const now = cents(months[last].totalUsd);
      const before = previous[last] && previous[last].totalUsd !== null ? cents(previous[last].totalUsd) : null;
      $('stat-month-label').textContent = `${MONTHS[last]} ${monthly.year}`;
      $('stat-month').textContent = usdShort(now);
      const ch = change(now, before);
      $('stat-month-sub').innerHTML = ch === null ? '&nbsp;'
        : `<span class="${ch >= 0 ? 'up' : 'down'}">${signed(ch)}</span> vs ${MON[last]} ${monthly.previousYear.year}`;
    }
    const known = previous.filter((m) => m.totalUsd !== null);
    if (known.length) {
      const full = known.reduce((s, m) => s + cents(m.totalUsd), 0);
      $('stat-prev-label').textContent = `${monthly.previousYear.year}${known.length === 12 ? ' full year' : ' (months known)'}`;
      $('stat-prev').textContent = usdShort(full);
      // Completed months against the same months of the year before: a fair year-on-year comparison.
      if (last > 0) {
        let a = 0;
        let b = 0;
        for (let i = 0; i < last; i++) {
          if (months[i].totalUsd !== null && previous[i] && previous[i].totalUsd !== null) {
            a += cents(months[i].totalUsd);
            b += cents(previous[i].totalUsd);
          }
        }
        const ch = change(a, b);
        $('stat-prev-sub').innerHTML = ch === null ? '&nbsp;'
          : `${monthSpan(last, monthly.year)}: <span class="${ch >= 0 ? 'up' : 'down'}">${signed(ch)}</span> year on year`;
      }
    }
  }

  // ------------------------------------------------------------------ monthly chart

  function renderMonthly() {
    state.monthlyFrame = null;
    const monthly = state.monthly;
    const svg = $('monthly-chart');
    if (!monthly) return;
    const w = Math.max(300, svg.clientWidth || 900);
    const h = Math.max(160, svg.clientHeight || 330);
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const left = 50;
    const projection = projectionOf(monthly);
    const right = projection ? 58 : 8;
    const top = 40;
    const bottom = 28;
    const plotW = w - left - right;
    const plotH = h - top - bottom;
    const current = monthly.months.map((m) => (m.totalUsd === null ? null : cents(m.totalUsd)));
    const previous = (monthly.previousYear ? monthly.previousYear.months : []).map((m) => ({
      c: m.totalUsd === null ? null : cents(m.totalUsd), history: m.source === 'history',
    }));
    const max = Math.max(1, ...current.filter((c) => c !== null), ...previous.filter((p) => p.c !== null).map((p) => p.c));
    const stepB = niceStep(max / 100 / 1e9);
    const topValue = Math.ceil((max / 100 / 1e9) * 1.08 / stepB) * stepB;
    const y = (c) => top + plotH - (plotH * (c / 100 / 1e9)) / topValue;
    const out = [];
    out.push('<defs><linearGradient id="bar-gradient" x1="0" y1="0" x2="0" y2="1">'
      + '<stop offset="0%" stop-color="#5fe0ff"/><stop offset="100%" stop-color="#2f7bff"/></linearGradient></defs>');
    for (let v = 0; v <= topValue + 1e-9; v += stepB) {
      const gy = top + plotH - (plotH * v) / topValue;
      out.push(`<line class="grid" x1="${left}" x2="${w - right}" y1="${gy}" y2="${gy}"/>`);
      out.push(`<text class="axis-label" x="${left - 8}" y="${gy + 4}" text-anchor="end">$${trim(v, 1)}B</text>`);
    }
    const group = plotW / 12;
    const barW = Math.min(34, group * 0.34);
    for (let i = 0; i < 12; i++) {
      const cx = left + group * i + group / 2;
      const p = previous[i];
      if (p && p.c !== null) {
        out.push(`<rect class="${p.history ? 'bar-history' : 'bar-previous'}" x="${cx - barW - 2}" y="${y(p.c)}" width="${barW}" `
          + `height="${Math.max(0, top + plotH - y(p.c))}" rx="3"><title>${MONTHS[i]} ${monthly.previousYear.year}: ${usdShort(p.c)}`
          + `${p.history ? ' (published figure)' : ''}</title></rect>`);
      }
      const c = current[i];
      if (c !== null) {
        const month = `${monthly.year}-${String(i + 1).padStart(2, '0')}`;
        const allTime = state.records.has(month);
        const calendar = state.calendarRecords.has(month);
        const cls = `${allTime ? 'bar-record' : 'bar-current'}${calendar ? ' bar-calendar-record' : ''}`;
        const notes = [allTime ? 'all-time monthly record' : '', calendar ? `highest ${MONTHS[i]} on record` : ''].filter(Boolean);
        out.push(`<rect class="${cls}" data-month="${month}" x="${cx + 2}" y="${y(c)}" width="${barW}" height="${Math.max(0, top + plotH - y(c))}" rx="3">`
          + `<title>${MONTHS[i]} ${monthly.year}: ${usdShort(c)}${notes.length ? ` (${notes.join(', ')})` : ''}</title></rect>`);
        out.push(`<text class="bar-value" x="${cx + 2 + barW / 2}" y="${y(c) - 7}">${(c / 100 / 1e9).toFixed(1)}</text>`);
        if (calendar) {
          // A diamond above the value: this month beat the same month of every year on record.
          const mx = cx + 2 + barW / 2;
          const my = y(c) - 27;
          out.push(`<path class="calendar-marker" data-month="${month}" d="M${mx} ${my - 6} L${mx + 6} ${my} L${mx} ${my + 6} L${mx - 6} ${my} Z">`
            + `<title>${MONTHS[i]} ${monthly.year}: the highest ${MONTHS[i]} on record</title></path>`);
        }
      }
      out.push(`<text class="month-label" x="${cx}" y="${h - 8}">${MON[i]}</text>`);
    }
    if (projection) drawProjection(out, projection, { left, group, top, plotH, w, right, steps: topValue / stepB });
    svg.innerHTML = out.join('');
    $('legend-projection-key').classList.toggle('hidden', !projection);
    $('legend-projection').classList.toggle('hidden', !projection);
    $('legend-current').textContent = monthly.year;
    const fromHistory = previous.some((p) => p.history);
    $('legend-previous').textContent = `${monthly.previousYear.year}${fromHistory ? ' (published)' : ''}`;
  }

  /**
   * The year to date month by month and where the forecast expects the year to end, for the chart; null without a
   * forecast of the chart's year or without a counted month.
   */
  function projectionOf(monthly) {
    const f = state.forecast;
    if (!f || f.year !== monthly.year) return null;
    const points = [];
    let sum = 0;
    monthly.months.forEach((m, i) => {
      if (m.totalUsd !== null) {
        sum += cents(m.totalUsd);
        points.push({ i, c: sum });
      }
    });
    if (!points.length) return null;
    const range = f.projectedYearEndRange;
    return {
      points,
      end: cents(f.projectedYearEndUsd),
      low: range ? cents(range.low) : null,
      high: range ? cents(range.high) : null,
    };
  }

  /** The year-to-date line on an axis of its own (right), dashed on to the projected year end and its 80% range. */
  function drawProjection(out, p, g) {
    const maxB = Math.max(p.end, p.high || 0, ...p.points.map((q) => q.c)) / 100 / 1e9;
    let stepR = 1;
    for (const s of [1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000]) {
      stepR = s;
      if (s * g.steps >= maxB * 1.04) break;
    }
    const topR = stepR * g.steps;
    const yR = (c) => g.top + g.plotH - (g.plotH * (c / 100 / 1e9)) / topR;
    // A month's year to date stands at its end; the month in progress at the latest acceptance counted.
    const at = state.total && state.total.period === state.year ? parts(state.total.asOf) : null;
    const x = (i) => {
      let done = 1;
      if (at && at.month === i + 1) {
        const days = new Date(Date.UTC(at.year, at.month, 0)).getUTCDate();
        done = Math.min(1, (at.day - 1 + (at.hour + at.minute / 60) / 24) / days);
      }
      return g.left + g.group * (i + done);
    };
    for (let k = 0; k <= g.steps; k++) {
      out.push(`<text class="axis-label-right" x="${g.w - g.right + 8}" y="${g.top + g.plotH - (g.plotH * k) / g.steps + 4}">`
        + `$${trim(k * stepR, 1)}B</text>`);
    }
    const line = p.points.map((q) => `${x(q.i)},${yR(q.c)}`).join(' ');
    out.push(`<polyline class="cumulative-line" points="${line}"><title>${yearToDateTitle(p)}</title></polyline>`);
    p.points.forEach((q) => out.push(`<circle class="cumulative-dot" cx="${x(q.i)}" cy="${yR(q.c)}" r="3"/>`));
    const last = p.points[p.points.length - 1];
    const ex = g.left + g.group * 12;
    out.push(`<line class="projection-line" x1="${x(last.i)}" y1="${yR(last.c)}" x2="${ex}" y2="${yR(p.end)}"/>`);
    if (p.low !== null && p.high !== null) {
      out.push(`<path class="projection-range" d="M${ex - 6} ${yR(p.high)} H${ex + 6} M${ex} ${yR(p.high)} V${yR(p.low)} M${ex - 6} ${yR(p.low)} H${ex + 6}">`
        + `<title>80% range: ${usdShort(p.low)} – ${usdShort(p.high)}</title></path>`);
    }
    out.push(`<circle class="projection-dot" data-cents="${p.end}" cx="${ex}" cy="${yR(p.end)}" r="5">`
      + `<title>Projected year end (estimate): ${usdShort(p.end)}</title></circle>`);
    // Above the plot, at its right end: clear of the bars, their values and their markers.
    const range = p.low !== null && p.high !== null ? ` (80%: ${usdShort(p.low)} – ${usdShort(p.high)})` : '';
    out.push(`<text class="projection-label" x="${ex}" y="${g.top - 18}">Projected year end ${usdShort(p.end)}${range}</text>`);
  }

  function yearToDateTitle(p) {
    return `Year to date: ${usdShort(p.points[p.points.length - 1].c)}`;
  }

  function niceStep(maxB) {
    for (const s of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) {
      if (maxB / s <= 5) return s;
    }
    return 2000;
  }

  function scheduleMonthly() {
    if (state.monthlyFrame === null) state.monthlyFrame = requestAnimationFrame(renderMonthly);
  }

  function updateMonth(total) {
    const monthly = state.monthly;
    if (!monthly) return;
    const [y, m] = total.period.split('-');
    const list = y === monthly.year ? monthly.months : (monthly.previousYear && y === monthly.previousYear.year ? monthly.previousYear.months : null);
    if (!list) return;
    list[Number(m) - 1] = { month: total.period, totalUsd: total.totalUsd, declarations: total.declarations, source: 'pipeline' };
    scheduleMonthly();
    renderTiles();
  }

  // ------------------------------------------------------------------ forecast

  /** A contract time as a wall-clock instant (the reporting zone's), rounded to the hour: nearest, down or up. */
  function hourOf(iso, mode) {
    const p = parts(iso);
    if (!p) return null;
    const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const hour = 3600000;
    const r = mode === 'down' ? Math.floor(ms / hour) * hour : mode === 'up' ? Math.ceil(ms / hour) * hour : Math.round(ms / hour) * hour;
    const d = new Date(r);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() };
  }

  /** Dec 29 2 p.m.; 12 a.m. at midnight, as the contract writes times. */
  function dayAndHour(p) {
    const h = p.hour % 12 === 0 ? 12 : p.hour % 12;
    return { day: `${MON[p.month - 1]} ${p.day}`, hour: `${h} ${p.hour < 12 ? 'a.m.' : 'p.m.'}` };
  }

  /** $700B, $1.5T: a threshold as the tiles name it. */
  function thresholdName(c) {
    return usdShort(c).replace('.0B', 'B').replace('.00T', 'T');
  }

  /** The next threshold: "$700B expected Dec 29 around 2 p.m.", its 80% range and the probability of this year. */
  function thresholdLines(t) {
    if (!t) return ['No milestone ahead this year', ''];
    const name = thresholdName(cents(t.thresholdUsd));
    let main = `${name} <span class="muted">not expected this year</span>`;
    if (t.expectedAt) {
      const at = dayAndHour(hourOf(t.expectedAt, 'nearest'));
      main = `${name} <span class="muted">expected</span> ${at.day} <span class="muted">around</span> ${at.hour}`;
    }
    const earliest = t.range.earliest ? dayAndHour(hourOf(t.range.earliest, 'down')) : null;
    const latest = t.range.latest ? dayAndHour(hourOf(t.range.latest, 'up')) : null;
    const known = t.probabilityThisYear !== null;
    const sub = [];
    if (earliest && latest) sub.push(`range ${earliest.day} ${earliest.hour} – ${latest.day} ${latest.hour}`);
    else if (earliest) sub.push(`range from ${earliest.day} ${earliest.hour}, possibly not this year`);
    else if (latest) sub.push(`range up to ${latest.day} ${latest.hour}`);
    else if (!known) sub.push('no range yet'); // nothing measured its error yet; with a probability, too few outcomes reach it
    if (known) sub.push(`${Math.round(Number(t.probabilityThisYear) * 100)}% likely this year`);
    return [main, sub.join(' · ')];
  }

  function renderForecast(f) {
    state.forecast = f;
    $('forecast').classList.toggle('hidden', !f);
    scheduleMonthly();
    if (!f) return;
    const asOf = parts(f.asOf);
    $('forecast-asof').textContent = asOf ? `as of ${MON[asOf.month - 1]} ${asOf.day}, ${clock12(asOf)} ${zoneName()}` : '';
    const [main, sub] = thresholdLines(f.thresholds[0]);
    $('forecast-threshold').innerHTML = main;
    $('forecast-threshold-sub').textContent = sub;
    $('forecast-yearend').innerHTML = `<span class="muted">Year end</span> ${usdShort(cents(f.projectedYearEndUsd))}`;
    const r = f.projectedYearEndRange;
    $('forecast-yearend-sub').textContent = r ? `range ${usdShort(cents(r.low))} – ${usdShort(cents(r.high))}` : 'no range yet';
  }

  async function refreshForecast() {
    state.forecastTimer = null;
    renderForecast(await api(`/api/v1/forecast/${state.year}`));
  }

  /** Forecasts change at most once a minute: one look a few seconds after the total moved is enough. */
  function scheduleForecast() {
    if (state.forecastTimer === null) {
      state.forecastTimer = setTimeout(() => refreshForecast().catch(() => {}), 5000);
    }
  }

  // ------------------------------------------------------------------ breakdowns

  function throughMonth() {
    if (!state.monthly) return 12;
    let last = 0;
    state.monthly.months.forEach((m, i) => { if (m.totalUsd !== null) last = i + 1; });
    return last || 12;
  }

  async function refreshBreakdowns() {
    state.breakdownTimer = null;
    const m = throughMonth();
    const [categories, regions] = await Promise.all([
      api(`/api/v1/totals/${state.year}/CATEGORY?throughMonth=${m}`),
      api(`/api/v1/totals/${state.year}/REGION?throughMonth=${m}`),
    ]);
    renderBreakdown('category', 'CATEGORY', categories);
    renderBreakdown('region', 'REGION', regions);
  }

  function scheduleBreakdowns() {
    if (state.breakdownTimer === null) {
      state.breakdownTimer = setTimeout(() => refreshBreakdowns().catch(() => {}), 1500);
    }
  }

  function renderBreakdown(id, dimension, data) {
    const list = $(`${id}-list`);
    if (!data) {
      list.innerHTML = '<li class="empty">No figures yet.</li>';
      return;
    }
    const prevYear = data.previousYear;
    $(`${id}-window`).textContent = `${monthSpan(data.throughMonth, data.period)} vs ${prevYear.period}`;
    $(`${id}-prev-head`).textContent = `vs ${prevYear.period}`;
    const total = cents(data.totalUsd);
    const prevTotal = cents(prevYear.totalUsd);
    const before = new Map(prevYear.members.map((m) => [m.member, cents(m.totalUsd)]));
    const all = data.members.map((m) => ({ member: m.member, name: memberName(dimension, m.member), c: cents(m.totalUsd), prev: before.get(m.member) }));
    // Named members first; the catch-all OTHER joins the tail, it is no item group or region to watch.
    let rows = all.filter((r) => r.member !== 'OTHER');
    const other = all.filter((r) => r.member === 'OTHER');
    if (rows.length + other.length > ROWS) {
      const rest = rows.slice(ROWS - 1).concat(other);
      rows = rows.slice(0, ROWS - 1);
      rows.push({
        name: `All others (${rest.length})`,
        c: rest.reduce((s, r) => s + r.c, 0),
        prev: rest.some((r) => r.prev !== undefined) ? rest.reduce((s, r) => s + (r.prev || 0), 0) : undefined,
      });
    } else {
      rows = rows.concat(other);
    }
    const shares = rows.map((r) => percent(r.c, total));
    const prevShares = rows.map((r) => (r.prev === undefined ? null : percent(r.prev, prevTotal)));
    const scale = Math.max(1, ...shares, ...prevShares.filter((s) => s !== null));
    list.innerHTML = rows.map((r, i) => {
      const ch = r.prev === undefined ? null : change(r.c, r.prev);
      const changeText = ch === null ? (prevTotal > 0 ? 'new' : '–') : signed(ch);
      const changeClass = ch === null ? '' : (ch >= 0 ? 'up' : 'down');
      const prevMark = prevShares[i] === null ? ''
        : `<span class="bar-prev" data-left="${(prevShares[i] * 100) / scale}" title="${prevYear.period}: ${prevShares[i].toFixed(1)}%"></span>`;
      return `<li class="bar-row"><span class="bar-name" title="${escapeHtml(r.name)}">${escapeHtml(r.name)}</span>`
        + `<span class="bar-usd">${usdShort(r.c)}</span><span class="bar-share">${shares[i].toFixed(1)}%</span>`
        + `<span class="bar-change ${changeClass}">${changeText}</span>`
        + `<span class="bar-track"><span class="bar-fill" data-width="${(shares[i] * 100) / scale}"></span>${prevMark}</span></li>`;
    }).join('');
    // Widths set through the CSSOM: the page's content security policy allows no inline style attributes.
    list.querySelectorAll('.bar-fill').forEach((el) => { el.style.width = `${el.dataset.width}%`; });
    list.querySelectorAll('.bar-prev').forEach((el) => { el.style.left = `calc(${el.dataset.left}% - 1px)`; });
  }

  // ------------------------------------------------------------------ milestones

  /** 2025-06 → June 2025, 2025-Q3 → Jan–Sep 2025, 2025 → 2025. */
  function periodName(period) {
    if (!period) return '';
    const q = /^(\d{4})-Q([1-4])$/.exec(period);
    if (q) return monthSpan(Number(q[2]) * 3, q[1]);
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
    return period;
  }

  function who(m) {
    return m.dimension === 'NATIONAL' ? '' : `${memberName(m.dimension, m.member)}: `;
  }

  function since(m) {
    return m.since ? ` (records since ${m.since})` : '';
  }

  /** The badges of a milestone: what kind of news it is, as the ministry words it. */
  function milestoneBadges(m) {
    const badges = [];
    switch (m.kind) {
      case 'THRESHOLD':
        if (m.firstTime === true) badges.push(['first', 'First time']);
        break;
      case 'ANNUAL_RECORD':
        badges.push(['annual', 'Annual record']);
        break;
      case 'CALENDAR_MONTH_RECORD':
        badges.push(['calendar', 'Calendar-month record']);
        if (m.streak >= 2) badges.push(['streak', `streak ${m.streak}`]);
        break;
      case 'MONTHLY_RECORD':
        badges.push(['monthly', m.since ? `Monthly record (all months since ${m.since})` : 'Monthly record']);
        break;
      case 'YEAR_TO_DATE_RECORD':
        badges.push(['ytd', `Year-to-date record${m.measure === 'EXPORTERS' ? ' · exporters' : (m.measure === 'VALUE' ? ' · value' : '')}`]);
        break;
      default:
        break;
    }
    return badges;
  }

  function count(n) {
    return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
  }

  /** One line saying what happened: "2025 passed 2024's $683.8B (records since 1995)". */
  function milestoneTitle(m) {
    const beaten = m.recordPeriod ? `${periodName(m.recordPeriod)}'s ` : 'the record of ';
    switch (m.kind) {
      case 'THRESHOLD':
        if (m.dimension === 'NATIONAL') return usdWords(cents(m.thresholdUsd));
        return `${memberName(m.dimension, m.member)} · ${usdShort(cents(m.thresholdUsd)).replace('.0B', 'B')}`;
      case 'YEAR_TO_DATE_RECORD':
        if (m.measure === 'EXPORTERS') {
          return `${who(m)}${periodName(m.period)}: ${count(m.exporters)} exporters, passing ${beaten}${count(m.previousBestExporters)}${since(m)}`;
        }
        return `${who(m)}${periodName(m.period)} passed ${beaten}${usdShort(cents(m.thresholdUsd))}${since(m)}`;
      case 'MONTHLY_RECORD':
        // Its badge says how far back the comparison went.
        return `${who(m)}${periodName(m.period)} passed ${beaten}${usdShort(cents(m.thresholdUsd))}`;
      default:
        return `${who(m)}${periodName(m.period)} passed ${beaten}${usdShort(cents(m.thresholdUsd))}${since(m)}`;
    }
  }

  function milestoneDetail(m) {
    const what = m.kind === 'YEAR_TO_DATE_RECORD' && m.measure === 'EXPORTERS' && m.totalUsd === null
      ? `${count(m.exporters)} exporters` : `Total ${usdShort(cents(m.totalUsd))}`;
    let story = '';
    if (m.kind === 'THRESHOLD' && m.firstTime === false && m.firstReached) story = ` · first reached ${m.firstReached}`;
    if (m.kind === 'THRESHOLD' && m.firstTime === true && m.previousThresholdUsd && m.previousThresholdFirstReached) {
      story = ` · ${usdShort(cents(m.previousThresholdUsd)).replace('.0B', 'B')} first passed in ${m.previousThresholdFirstReached}`;
    }
    const decl = m.declarationId ? ` · decl. ${m.declarationId}` : '';
    return `${what}${story}${decl}`;
  }

  function renderMilestones(milestones) {
    state.records = new Set(milestones.filter((m) => m.kind === 'MONTHLY_RECORD').map((m) => m.period));
    state.calendarRecords = new Set(milestones.filter((m) => m.kind === 'CALENDAR_MONTH_RECORD').map((m) => m.period));
    const list = $('milestone-list');
    $('milestones-empty').classList.toggle('hidden', milestones.length > 0);
    // Newest first: on a wall screen the latest milestone matters most.
    list.innerHTML = milestones.slice().reverse().map((m) => {
      const p = parts(m.crossedAt);
      const fresh = state.fresh === m.milestoneId ? ' fresh' : '';
      const record = m.kind !== 'THRESHOLD' ? ' record' : '';
      const badges = milestoneBadges(m).map(([cls, text]) => `<span class="badge badge-${cls}">${escapeHtml(text)}</span>`).join('');
      return `<li class="milestone${record}${fresh}" data-id="${escapeHtml(m.milestoneId)}" data-kind="${escapeHtml(m.kind)}"><span class="milestone-mark"></span>`
        + `<span class="milestone-title">${badges ? `<span class="milestone-badges">${badges}</span>` : ''}`
        + `<span class="milestone-text">${escapeHtml(milestoneTitle(m))}</span></span>`
        + `<span class="milestone-when">${escapeHtml(m.crossedAtLocalTime)}</span>`
        + `<span class="milestone-detail">${escapeHtml(milestoneDetail(m))}</span>`
        + `<span class="milestone-date">${p ? `${MON[p.month - 1]} ${p.day}, ${p.year}` : ''}</span></li>`;
    }).join('');
    // Show whole items only: the oldest that do not fit are left out rather than cut in half.
    const bottom = list.getBoundingClientRect().bottom;
    list.querySelectorAll('.milestone').forEach((el) => {
      el.classList.toggle('hidden', el.getBoundingClientRect().bottom > bottom + 1);
    });
    scheduleMonthly();
  }

  async function refreshMilestones() {
    const data = await api(`/api/v1/milestones?period=${state.year}`);
    if (!data) return;
    data.milestones.forEach((m) => state.known.add(`${m.milestoneId}|${m.detectedAt}`));
    renderMilestones(data.milestones);
  }

  function inYear(period) {
    return period === state.year || period.startsWith(`${state.year}-`);
  }

  function onMilestone(m) {
    const key = `${m.milestoneId}|${m.detectedAt}`;
    if (!inYear(m.period) || state.known.has(key)) return;
    state.known.add(key);
    if (m.type === 'CROSSED') {
      state.fresh = m.milestoneId;
      queueBanner(m);
    }
    refreshMilestones().catch(() => {});
  }

  // ------------------------------------------------------------------ the banner

  function isNational(m) {
    return m.kind === 'THRESHOLD' && m.dimension === 'NATIONAL';
  }

  function queueBanner(m) {
    if (isNational(m) || !state.banner) {
      // A national threshold is the news of the day: it shows at once.
      if (state.banner && !isNational(state.banner)) state.bannerQueue.unshift(state.banner);
      showBanner(m);
    } else {
      state.bannerQueue.push(m);
    }
  }

  function showBanner(m) {
    const p = parts(m.crossedAt);
    const when = p ? `${m.crossedAtLocalTime} on ${longDate(p)} (${zoneName()})` : m.crossedAtLocalTime;
    let kind;
    let title;
    let sub;
    const previous = `${m.recordPeriod ? `${periodName(m.recordPeriod)}'s ` : 'the previous '}record of ${usdShort(cents(m.thresholdUsd))}`;
    const subject = m.dimension === 'NATIONAL' ? `${countryName()}'s` : `${memberName(m.dimension, m.member)}`;
    if (m.kind === 'MONTHLY_RECORD') {
      const [y, mo] = m.period.split('-');
      kind = 'Monthly record';
      title = `${MONTHS[Number(mo) - 1]} ${y} set a monthly export record`;
      sub = `${usdShort(cents(m.totalUsd))} as of ${when}, above the previous high of ${usdShort(cents(m.thresholdUsd))}`
        + (m.since ? ` (all months since ${m.since})` : '');
    } else if (m.kind === 'ANNUAL_RECORD') {
      kind = 'Annual record';
      title = `${subject} ${m.period} exports passed ${previous}`;
      sub = `A new annual export record as of ${when}${since(m)}`;
    } else if (m.kind === 'CALENDAR_MONTH_RECORD') {
      const [y, mo] = m.period.split('-');
      kind = m.streak >= 2 ? `Calendar-month record · streak ${m.streak}` : 'Calendar-month record';
      title = `${subject} exports in ${MONTHS[Number(mo) - 1]} ${y}: the highest ${MONTHS[Number(mo) - 1]} on record`;
      sub = `${usdShort(cents(m.totalUsd))} as of ${when}, above ${previous}${since(m)}`;
    } else if (m.kind === 'YEAR_TO_DATE_RECORD') {
      kind = 'Year-to-date record';
      title = `${subject} exports ${periodName(m.period)}: ${m.measure === 'EXPORTERS' ? 'most exporters' : 'highest'} on record`;
      sub = `${milestoneTitle(m)} · ${when}`;
    } else if (m.dimension === 'NATIONAL') {
      kind = m.firstTime === true ? 'Milestone · first time' : 'Milestone';
      title = `${countryName()}'s ${m.period} exports passed ${usdWords(cents(m.thresholdUsd))}`;
      sub = `As of ${when}, cumulative exports for ${m.period} were provisionally tallied at ${usdWords(cents(m.thresholdUsd))}`;
    } else {
      kind = 'Milestone';
      title = `${memberName(m.dimension, m.member)} exports for ${m.period} passed ${usdWords(cents(m.thresholdUsd))}`;
      sub = `As of ${when} · provisional`;
    }
    $('banner-kind').textContent = kind;
    $('banner-title').textContent = title;
    $('banner-sub').textContent = sub;
    const banner = $('banner');
    banner.dataset.milestoneId = m.milestoneId;
    banner.classList.add('show');
    banner.setAttribute('aria-hidden', 'false');
    state.banner = m;
    clearTimeout(state.bannerTimer);
    state.bannerTimer = setTimeout(hideBanner, isNational(m) ? NATIONAL_BANNER_MS : OTHER_BANNER_MS);
  }

  function hideBanner() {
    const banner = $('banner');
    banner.classList.remove('show');
    banner.setAttribute('aria-hidden', 'true');
    state.banner = null;
    const next = state.bannerQueue.shift();
    if (next) setTimeout(() => showBanner(next), 900);
  }

  // ------------------------------------------------------------------ live events

  function setLive(mode, text) {
    const live = $('live');
    live.className = `live live-${mode}`;
    $('live-text').textContent = text;
  }

  function connect() {
    if (state.events) state.events.close();
    // EventSource cannot send headers: the token goes as access_token (RFC 6750), on this endpoint only.
    const auth = state.token ? `&access_token=${encodeURIComponent(state.token)}` : '';
    const events = new EventSource(`/api/v1/events?year=${state.year}&dimension=NATIONAL,CATEGORY,REGION${auth}`);
    state.events = events;
    events.onopen = () => {
      setLive('on', 'Live');
      if (state.disconnected) {
        // Catch up on whatever happened while the stream was down.
        state.disconnected = false;
        reloadAll().catch(() => {});
      }
    };
    events.onerror = () => {
      state.disconnected = true;
      setLive('off', 'Reconnecting');
    };
    events.addEventListener('total', (e) => {
      const t = JSON.parse(e.data);
      if (t.dimension === 'NATIONAL') {
        if (t.period === state.year) {
          applyTotal(t, true);
          scheduleForecast();
        }
        else if (t.period.length === 7) updateMonth(t);
      } else if (t.period === state.year) {
        scheduleBreakdowns();
      }
    });
    events.addEventListener('milestone', (e) => onMilestone(JSON.parse(e.data)));
  }

  // ------------------------------------------------------------------ status

  async function refreshStatus() {
    try {
      const s = await api('/api/v1/status');
      const ok = s.state === 'RUNNING';
      const lag = s.lag ? Number(s.lag.total).toLocaleString('en-US') : 'unknown';
      const instances = s.instances ? s.instances.length : 0;
      $('status-line').innerHTML = `<span class="${ok ? 'ok' : 'warn'}">● Pipeline ${escapeHtml(s.state)}</span>`
        + ` · ${instances} instance${instances === 1 ? '' : 's'}`
        + (s.totalsOwner ? ` · totals kept on ${escapeHtml(s.totalsOwner)}` : '')
        + ` · backlog ${lag} · waiting for a rate ${Number(s.waitingDeclarations).toLocaleString('en-US')}`
        + ` · rejected ${Number(s.rejected).toLocaleString('en-US')}`;
    } catch (e) {
      if (!/HTTP 401$/.test(e.message)) $('status-line').innerHTML = '<span class="bad">● Pipeline status unavailable</span>';
    }
  }

  // ------------------------------------------------------------------ start

  async function reloadAll() {
    const y = state.year;
    const [total, monthly] = await Promise.all([api(`/api/v1/totals/${y}`), api(`/api/v1/monthly/${y}`)]);
    if (monthly) {
      state.monthly = monthly;
      renderMonthly();
    }
    if (total) applyTotal(total, false);
    await Promise.all([refreshMilestones(), refreshBreakdowns(), refreshForecast()]);
  }

  async function chooseYear() {
    const asked = new URLSearchParams(window.location.search).get('year');
    if (asked && /^\d{4}$/.test(asked)) {
      state.fixedYear = true;
      return asked;
    }
    for (;;) {
      try {
        const periods = await api('/api/v1/periods');
        if (periods && periods.years.length) return periods.years[0];
      } catch (e) {
        // not ready yet
      }
      await new Promise((r) => setTimeout(r, 3000));
    }
  }

  /** A new reporting year begins: follow it (unless the page was opened for one year). */
  async function followNewYear() {
    if (state.fixedYear) return;
    const periods = await api('/api/v1/periods');
    if (periods && periods.years.length && periods.years[0] > state.year) {
      state.year = periods.years[0];
      $('year-label').textContent = state.year;
      $('milestones-year').textContent = state.year;
      connect();
    }
  }

  async function init() {
    takeToken();
    // A token added to the address of the open page (after "needs its API token"): start again with it.
    window.addEventListener('hashchange', () => {
      if (/(?:^#|&)token=/.test(window.location.hash)) {
        takeToken();
        window.location.reload();
      }
    });
    startClock();
    try {
      const config = await api('/api/v1/thresholds');
      state.zone = config.zone;
      state.country = config.country;
      const national = config.thresholds.find((t) => t.dimension === 'NATIONAL' && t.member === config.country);
      state.thresholds = national ? national.thresholdsUsd.map(cents).sort((a, b) => a - b) : [];
    } catch (e) {
      // the clock and counter work without thresholds
    }
    $('country-name').textContent = countryName();
    state.year = await chooseYear();
    $('year-label').textContent = state.year;
    $('milestones-year').textContent = state.year;
    connect();
    await reloadAll().catch(() => {});
    refreshStatus();
    setInterval(refreshStatus, 5000);
    setInterval(() => refreshForecast().catch(() => {}), 15000);
    setInterval(() => followNewYear().then(reloadAll).catch(() => {}), 60000);
    window.addEventListener('resize', scheduleMonthly);
  }

  init();
})();
