"""The wall screen's look: dark, high contrast, sized in viewport units so that a
1920x1080 screen read from 4 m gets ~26 px text and ~90 px figures. Static strings only:
no data ever goes into this CSS."""

from __future__ import annotations

# Colours: text on the background is > 15:1, accents > 7:1 (WCAG AAA for large text).
PALETTE = {
    "bg": "#04060b", "panel": "#0d131f", "line": "#243049", "text": "#f5f7fb",
    "muted": "#aeb9cc", "red": "#ff5252", "amber": "#ffc233", "green": "#4be08f",
    "blue": "#6cb8ff", "orange": "#ff9a3d",
}

WALL_CSS = """
<style>
:root { --w-bg:#04060b; --w-panel:#0d131f; --w-line:#243049; --w-text:#f5f7fb;
  --w-muted:#aeb9cc; --w-red:#ff5252; --w-amber:#ffc233; --w-green:#4be08f;
  --w-blue:#6cb8ff; --w-orange:#ff9a3d; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: var(--w-bg); }
.stApp { color: var(--w-text); }
/* Re-runs of a fragment never dim what is on screen (no flicker on a wall). */
[data-testid="stElementContainer"][data-stale="true"],
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
[class*="st-key-wall-panel"] { background: var(--w-panel); border: 1px solid var(--w-line);
  border-radius: .6vw; padding: .55vw .9vw .4vw .9vw; gap: .35vw; }
[class*="st-key-wall-panel"] [data-testid="stMarkdownContainer"] p {
  font-size: 1.42vw; line-height: 1.2; margin: 0 0 .6vw 0; color: var(--w-text);
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
[class*="st-key-wall-panel"] [data-testid="stMarkdownContainer"] strong { color: var(--w-amber); }
[class*="st-key-wall-panel"] [data-testid="stMarkdownContainer"] em {
  color: var(--w-muted); font-style: normal; }
.wall-h { display: flex; align-items: baseline; gap: .8vw; font-size: 1.25vw; font-weight: 800;
  letter-spacing: .06em; text-transform: uppercase; color: var(--w-muted);
  border-bottom: 2px solid var(--w-line); padding-bottom: .25vw; margin-bottom: .2vw; }
.wall-h b { color: var(--w-text); font-size: 1.6vw; }
.wall-h .t { margin-left: auto; font-size: .75vw; font-weight: 500; letter-spacing: 0;
  white-space: nowrap; }
/* Badges (FERMÉE, VRAI, FAUX...): white on a stronger tint of their colour. */
[class*="st-key-wall-panel"] .stMarkdownBadge { font-size: 1.05vw !important; font-weight: 900;
  padding: .05vw .45vw; vertical-align: .12vw; color: #fff !important;
  filter: brightness(2.1) saturate(1.8); }
[class*="st-key-wall-top-name"] p { font-size: 1.45vw; color: var(--w-muted); margin: 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
[class*="st-key-wall-top-name"] strong { color: var(--w-text); font-size: 1.7vw;
  letter-spacing: .08em; margin-right: .6vw; }
.wall-empty { font-size: 1.2vw; color: var(--w-muted); padding: .4vw 0; }
.wall-tag { display: inline-block; font-weight: 900; font-size: 1.05vw; padding: .05vw .45vw;
  border-radius: .3vw; margin-right: .5vw; letter-spacing: .04em; color: #000; }
/* Top bar */
.wall-top { display: flex; align-items: center; gap: 1.4vw; }
.wall-top .name { font-size: 1.9vw; font-weight: 900; letter-spacing: .05em; }
.wall-top .inc { font-size: 1.3vw; color: var(--w-muted); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.wall-top .clock { margin-left: auto; font-size: 1.9vw; font-weight: 800;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.wall-top .clock small { font-size: 1.1vw; color: var(--w-muted); font-weight: 600; }
/* The display froze (server gone, network cut): nothing re-rendered this block for 30 s. */
.wall-stale { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000;
  background: var(--w-red); color: #fff; font-size: 2.2vw; font-weight: 900; text-align: center;
  padding: .8vw; visibility: hidden; animation: wall-stale 1s step-end 30s forwards; }
@keyframes wall-stale { to { visibility: visible; } }
/* Alerts: collectors stopped, a source failing, a spike */
[class*="st-key-wall-alarm"] { background: var(--w-red); border-radius: .6vw; padding: .4vw 1vw; }
[class*="st-key-wall-alarm"] p { color: #fff !important; font-size: 1.45vw !important;
  font-weight: 800; margin: 0 !important; }
[class*="st-key-wall-spike"] { background: var(--w-amber); border-radius: .6vw;
  padding: .4vw 1vw; }
[class*="st-key-wall-spike"] p { color: #000 !important; font-size: 1.4vw !important;
  font-weight: 700; margin: 0 !important; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
[class*="st-key-wall-spike"] strong { color: #000 !important; font-weight: 900; }
/* Key figures */
/* minmax(0, 1fr): a tile never grows past its fifth (a long subtitle is cut with an
   ellipsis instead of pushing the last tile off a 1280 px screen with the sidebar open) */
.wall-figs { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: .7vw; }
.wall-fig { min-width: 0; overflow: hidden; background: var(--w-panel);
  border: 1px solid var(--w-line); border-radius: .6vw; padding: .5vw .9vw .6vw .9vw;
  border-top: .35vw solid var(--w-blue); }
.wall-fig .l { font-size: 1.05vw; font-weight: 800; letter-spacing: .06em;
  text-transform: uppercase; color: var(--w-muted); }
.wall-fig .v { font-size: 4.2vw; font-weight: 900; line-height: 1.02;
  font-variant-numeric: tabular-nums; }
.wall-fig .s { font-size: 1.15vw; color: var(--w-muted); font-weight: 600; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.wall-fig.red { border-top-color: var(--w-red); } .wall-fig.red .v { color: var(--w-red); }
.wall-fig.amber { border-top-color: var(--w-amber); } .wall-fig.amber .v { color: var(--w-amber); }
.wall-fig.zero .v { color: var(--w-text); }
.wall-fig .up { color: var(--w-amber); } .wall-fig .down { color: var(--w-green); }
[data-testid="stVegaLiteChart"] { background: transparent; }
.wall-legend { display: flex; flex-wrap: wrap; gap: .15vw 1vw; font-size: 1.05vw;
  font-weight: 600; color: var(--w-text); }
.wall-legend i { display: inline-block; width: .9vw; height: .9vw; border-radius: .15vw;
  margin-right: .35vw; vertical-align: -.1vw; }
</style>
"""

# Kiosk: no Streamlit chrome at all, full width, tight margins; the EXERCICE banner large.
KIOSK_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stMainMenu"], [data-testid="stStatusWidget"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stAppDeployButton"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important;
  padding: .6vw 1vw .4vw 1vw !important; }
[data-testid="stAppViewContainer"] > [data-testid="stMain"] { padding: 0 !important; }
.vigie-exercise { font-size: 1.45vw !important; padding: .3vw 1vw !important;
  letter-spacing: .06em !important; line-height: 1.25; margin-bottom: .2vw !important;
  border-width: .25vw !important; }
[data-testid="stVerticalBlock"] { gap: .6vw; }
/* The screen never scrolls: the panels' grid takes exactly the height left under the
   figures (less when an alarm or a spike band shows), lists show what fits and fade out. */
[data-testid="stMain"] { height: 100vh; overflow: hidden; }
[data-testid="stMainBlockContainer"] { height: 100vh; display: flex; flex-direction: column;
  box-sizing: border-box; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 0;
  min-height: 0; }
[data-testid="stLayoutWrapper"]:has(> .st-key-wall-grid) { flex: 1 1 0; min-height: 0; }
.st-key-wall-grid { height: 100%; }
.st-key-wall-grid [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]),
.st-key-wall-grid [data-testid="stHorizontalBlock"] { height: 100%; }
.st-key-wall-grid [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; }
.st-key-wall-grid [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"] { flex: 1 1 0; min-height: 0; }
.st-key-wall-grid [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"]:has(.st-key-wall-panel-map) { flex: 0 0 auto; }
.st-key-wall-grid [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"] > [data-testid="stVerticalBlock"],
.st-key-wall-grid [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"] { height: 100%; }
.st-key-wall-grid [class*="st-key-wall-panel"] { height: 100%; overflow: hidden;
  box-sizing: border-box; }
.st-key-wall-grid .st-key-wall-panel-volume [data-testid="stElementContainer"]:has(
  [data-testid="stVegaLiteChart"]) { flex: 1 1 0; min-height: 0; }
/* A list longer than its panel fades out at the panel's bottom edge (a short list, which
   ends higher, is untouched). */
.st-key-wall-grid [class*="st-key-wall-panel"]:not(.st-key-wall-panel-map):not(
  .st-key-wall-panel-volume) {
  -webkit-mask-image: linear-gradient(to bottom, #000 calc(100% - 2.2vw), transparent 100%);
  mask-image: linear-gradient(to bottom, #000 calc(100% - 2.2vw), transparent 100%); }
</style>
"""

# Altair settings for charts read from afar: big labels, no chart junk, dark.
CHART_CONFIG = {
    "background": "transparent",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 20, "titleFontSize": 18, "labelColor": "#d6deeb",
             "titleColor": "#aeb9cc", "gridColor": "#1c263a", "domainColor": "#3a4a66",
             "tickColor": "#3a4a66", "labelFontWeight": 600},
    "legend": {"labelFontSize": 20, "titleFontSize": 0, "labelColor": "#f5f7fb",
               "symbolSize": 260, "symbolStrokeWidth": 0, "labelLimit": 320,
               "orient": "right", "rowPadding": 8},
}
