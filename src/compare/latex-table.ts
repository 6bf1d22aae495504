// LaTeX comparison tables (booktabs) that compile with pdflatex in a minimal document:
// \documentclass{article}\usepackage[utf8]{inputenc}\usepackage[T1]{fontenc}\usepackage{booktabs}.
// The reference's comparison_table.tex does not compile (its `_` and `%` are not escaped); every
// name here is escaped, and text pdflatex cannot print is announced in a comment at the top.

/** A table spec that cannot be written: the message is meant for the user, as is. */
export class LatexTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LatexTableError';
  }
}

const TEXT_SPECIALS: Readonly<Record<string, string>> = {
  '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}',
  '~': '\\textasciitilde{}', '^': '\\textasciicircum{}', '\\': '\\textbackslash{}',
};

// What inputenc (utf8) + fontenc (T1) of TeX Live 2022 print, found by compiling every code point of
// Latin-1 to Latin Extended Additional, punctuation, currency, letterlike symbols and arrows
// (µ left out: it becomes $\mu$ like the other Greek letters).
const T1_PRINTABLE = new RegExp(
  '[\\u00A0-\\u00B4\\u00B6-\\u0125\\u0128-\\u0137\\u0139-\\u013E\\u0141-\\u0148\\u014A-\\u0165\\u0168-\\u017E' +
    '\\u0192\\u01C4-\\u01D4\\u01E2\\u01E3\\u01E6-\\u01EB\\u01F0\\u01F4\\u01F5\\u0218-\\u021B\\u0232\\u0233\\u0237' +
    '\\u1E02\\u1E03\\u1E0D\\u1E1E-\\u1E21\\u1E25\\u1E30\\u1E31\\u1E37\\u1E43\\u1E45\\u1E47\\u1E5B\\u1E63\\u1E6D' +
    '\\u1E8E-\\u1E91\\u1E9E\\u1EF2\\u1EF3\\u2010-\\u2016\\u2018-\\u201A\\u201C-\\u201E\\u2020-\\u2022\\u2026' +
    '\\u2030\\u2031\\u2039-\\u203B\\u203D\\u2044\\u204E\\u2052\\u20A1\\u20A4\\u20A6\\u20A9\\u20AB\\u20AC\\u20B1' +
    '\\u2103\\u2116\\u2117\\u211E\\u2120\\u2122\\u2127\\u212E\\u2190-\\u2193\\u25E6\\u25EF\\uFB00-\\uFB06]',
  'u',
);

// Other Latin letters print as base letter + accent commands (Vietnamese ệ → \^{\d{e}}); the hook
// above and the horn of Vietnamese have no command in T1, so those letters stay unprintable.
const TEXT_ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '\\`', '\u0301': "\\'", '\u0302': '\\^', '\u0303': '\\~', '\u0304': '\\=', '\u0306': '\\u',
  '\u0307': '\\.', '\u0308': '\\"', '\u030A': '\\r', '\u030B': '\\H', '\u030C': '\\v', '\u0323': '\\d',
  '\u0326': '\\textcommabelow', '\u0327': '\\c', '\u0328': '\\k', '\u0331': '\\b',
};

const GREEK: Readonly<Record<string, string>> = {
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\varepsilon', ζ: '\\zeta', η: '\\eta',
  θ: '\\theta', ι: '\\iota', κ: '\\kappa', λ: '\\lambda', μ: '\\mu', ν: '\\nu', ξ: '\\xi', ο: 'o',
  π: '\\pi', ρ: '\\rho', ς: '\\varsigma', σ: '\\sigma', τ: '\\tau', υ: '\\upsilon', φ: '\\varphi',
  χ: '\\chi', ψ: '\\psi', ω: '\\omega', ϑ: '\\vartheta', ϕ: '\\phi', ϖ: '\\varpi', ϱ: '\\varrho',
  ϵ: '\\epsilon', '\u00B5': '\\mu',
  Γ: '\\Gamma', Δ: '\\Delta', Θ: '\\Theta', Λ: '\\Lambda', Ξ: '\\Xi', Π: '\\Pi', Σ: '\\Sigma',
  Υ: '\\Upsilon', Φ: '\\Phi', Ψ: '\\Psi', Ω: '\\Omega',
  // Capitals drawn like Latin ones have no command of their own.
  Α: '\\mathrm{A}', Β: '\\mathrm{B}', Ε: '\\mathrm{E}', Ζ: '\\mathrm{Z}', Η: '\\mathrm{H}', Ι: '\\mathrm{I}',
  Κ: '\\mathrm{K}', Μ: '\\mathrm{M}', Ν: '\\mathrm{N}', Ο: '\\mathrm{O}', Ρ: '\\mathrm{P}', Τ: '\\mathrm{T}',
  Χ: '\\mathrm{X}',
};

const MATH_ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '\\grave', '\u0301': '\\acute', '\u0303': '\\tilde', '\u0342': '\\tilde', '\u0304': '\\bar',
  '\u0306': '\\breve', '\u0308': '\\ddot',
};

// Symbols of metric names and notes that base LaTeX prints in math mode only.
const MATH_SYMBOLS: Readonly<Record<string, string>> = {
  '\u2212': '-', '\u2213': '\\mp', '\u2264': '\\leq', '\u2265': '\\geq', '\u2260': '\\neq', '\u2248': '\\approx',
  '\u2261': '\\equiv', '\u223C': '\\sim', '\u226A': '\\ll', '\u226B': '\\gg', '\u221E': '\\infty',
  '\u2211': '\\sum', '\u220F': '\\prod', '\u221A': '\\surd', '\u2202': '\\partial', '\u2207': '\\nabla',
  '\u2208': '\\in', '\u22C5': '\\cdot', '\u2218': '\\circ', '\u2217': '\\ast', '\u21D2': '\\Rightarrow',
  '\u2194': '\\leftrightarrow',
};

// In T1 these pairs are ligatures (-- en dash, << guillemet, ,, low quote, !` ¡): `{}` keeps the characters.
const LIGATURE_PAIRS = new Set(['--', '<<', '>>', ',,', "''", '``', '!`', '?`']);

type Piece = { math: boolean; tex: string } | null;

/** The LaTeX for one character with its combining marks; null when pdflatex cannot print it. */
function renderCluster(cluster: string): Piece {
  if ([...cluster].length === 1) {
    const ch = cluster;
    if (/[\t\n\r\f\v\u2028\u2029]/.test(ch) || (/\p{Zs}/u.test(ch) && ch !== '\u00A0')) return { math: false, tex: ' ' };
    if (/\p{Cc}|\p{Cf}/u.test(ch) && !T1_PRINTABLE.test(ch)) return { math: false, tex: '' };
    if (ch in TEXT_SPECIALS) return { math: false, tex: TEXT_SPECIALS[ch] };
    if (/[\x20-\x7e]/.test(ch) || T1_PRINTABLE.test(ch)) return { math: false, tex: ch };
    if (ch in GREEK) return { math: true, tex: GREEK[ch] };
    if (ch in MATH_SYMBOLS) return { math: true, tex: MATH_SYMBOLS[ch] };
  }
  const [base, ...marks] = [...cluster.normalize('NFD')];
  if (marks.length === 0) return null;
  if (/[A-Za-z0-9]/.test(base) && marks.every((m) => m in TEXT_ACCENTS)) {
    return { math: false, tex: marks.reduce((inner, m) => `${TEXT_ACCENTS[m]}{${inner}}`, base) };
  }
  if (base in GREEK && marks.every((m) => m in MATH_ACCENTS)) {
    return { math: true, tex: marks.reduce((inner, m) => `${MATH_ACCENTS[m]}{${inner}}`, GREEK[base]) };
  }
  return null;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** latexEscape of printable ASCII (every name the lab writes), without its Unicode work: the same text. */
function asciiEscape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += TEXT_SPECIALS[text[i]] ?? text[i];
    if (LIGATURE_PAIRS.has(text[i] + (text[i + 1] ?? ''))) out += '{}';
  }
  return out;
}

const clusters = (text: string): string[] => text.normalize('NFC').match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];

/**
 * Text → LaTeX for pdflatex with inputenc (utf8) and fontenc (T1): the specials & % $ # _ { } ~ ^ \
 * are escaped, Greek letters become math ($\alpha$), accented Latin letters stay UTF-8 (or become
 * accent commands where inputenc has none). What pdflatex cannot print (see unsupportedScripts)
 * is kept as is, for XeLaTeX or LuaLaTeX.
 */
export function latexEscape(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return asciiEscape(text);
  const parts = clusters(text);
  let out = '';
  let math = '';
  const flushMath = () => {
    if (math) out += `$${math}$`;
    math = '';
  };
  parts.forEach((cluster, i) => {
    const piece = renderCluster(cluster);
    if (piece?.math) {
      // A control word followed by a letter would run together (\mu then o is \muo): a space ends it.
      math += (/\\[A-Za-z]+$/.test(math) && /^[A-Za-z]/.test(piece.tex) ? ' ' : '') + piece.tex;
      return;
    }
    flushMath();
    out += piece ? piece.tex : cluster;
    if (piece && LIGATURE_PAIRS.has(cluster + (parts[i + 1] ?? ''))) out += '{}';
  });
  flushMath();
  return out;
}

const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Nko', 'Devanagari',
  'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai',
  'Lao', 'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Ogham',
  'Runic', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Yi', 'Tifinagh', 'Javanese',
  'Balinese', 'Sundanese', 'Tagalog', 'Coptic', 'Glagolitic', 'Gothic', 'Braille', 'Vai', 'Cham', 'Tai_Le',
] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => ({ name: name.replace(/_/g, ' '), re: new RegExp(`\\p{Script=${name}}`, 'u') }));

function scriptName(ch: string): string {
  const known = SCRIPT_TESTS.find(({ re }) => re.test(ch));
  if (known) return known.name;
  if (/\p{Extended_Pictographic}/u.test(ch)) return 'Emoji';
  if (/\p{Script=Common}/u.test(ch)) return 'Symbols';
  if (/\p{M}/u.test(ch)) return 'Combining marks';
  return `Other (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Names of the scripts (Unicode script names: 'Han', 'Cyrillic', …; 'Symbols' and 'Emoji' for the
 * rest) of the characters in `text` that pdflatex with inputenc and T1 cannot print, in order of first
 * appearance. A script may be printable in part: 'Latin' is named only for letters such as ħ or the
 * Vietnamese ở. Empty when the escaped text compiles with pdflatex.
 */
export function unsupportedScripts(text: string): string[] {
  const names = new Set<string>();
  for (const cluster of clusters(text)) if (!renderCluster(cluster)) names.add(scriptName([...cluster][0]));
  return [...names];
}

export type LatexValue =
  | { kind: 'text'; text: string }
  /** null → empty cell */
  | { kind: 'number'; value: number | null }
  /** "mean $\pm$ std"; the mean alone when std is null, an empty cell when the mean is null */
  | { kind: 'meanStd'; mean: number | null; std: number | null };

export interface LatexColumn {
  header: string;
  align: 'l' | 'r' | 'c';
  /** Digits after the decimal point; default: the table's precision. */
  decimals?: number;
  /** Bold the best value(s) of the column. */
  better?: 'higher' | 'lower';
}

export interface LatexTableSpec {
  caption: string;
  label: string;
  columns: LatexColumn[];
  rows: LatexValue[][];
  /** Default digits after the decimal point (2). */
  precision?: number;
}

/** Fixed to `decimals`; null for missing, NaN and infinite values. -0.001 → "0.00", and a real minus sign. */
function formatNumber(x: number | null, decimals: number): string | null {
  if (x === null || !Number.isFinite(x)) return null;
  const s = x.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(s)) return s.slice(1);
  return s.startsWith('-') ? `$-$${s.slice(1)}` : s;
}

/** The value the column's bolding compares, as printed (rounded), so that printed ties are all bold. */
function comparable(v: LatexValue, decimals: number): number | null {
  const x = v.kind === 'number' ? v.value : v.kind === 'meanStd' ? v.mean : null;
  return x === null || !Number.isFinite(x) ? null : Number(x.toFixed(decimals));
}

function renderCell(v: LatexValue, decimals: number): string {
  if (v.kind === 'text') return latexEscape(v.text);
  if (v.kind === 'number') return formatNumber(v.value, decimals) ?? '';
  const mean = formatNumber(v.mean, decimals);
  if (mean === null) return '';
  const std = formatNumber(v.std, decimals);
  return std === null ? mean : `${mean} $\\pm$ ${std}`;
}

// A row starting with `[` or `*` would be read as an argument of the `\\` or rule before it.
const guardStart = (cell: string): string => (/^[[*]/.test(cell) ? `{}${cell}` : cell);

const sanitizeLabel = (label: string): string =>
  label.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9:_-]+/g, '-').replace(/^-+|-+$/g, '') || 'tab:table';

function checkSpec(spec: LatexTableSpec, precision: number): void {
  const checkDecimals = (d: number, where: string) => {
    if (!Number.isInteger(d) || d < 0 || d > 20) throw new LatexTableError(`invalid number of decimals for ${where}: ${d} (0 to 20)`);
  };
  checkDecimals(precision, 'the table');
  if (spec.columns.length === 0) throw new LatexTableError('a LaTeX table needs at least one column');
  spec.columns.forEach((c) => {
    if (!['l', 'r', 'c'].includes(c.align)) throw new LatexTableError(`invalid alignment for column "${c.header}": ${c.align} (l, r or c)`);
    if (c.decimals !== undefined) checkDecimals(c.decimals, `column "${c.header}"`);
  });
  spec.rows.forEach((row, i) => {
    if (row.length !== spec.columns.length) {
      throw new LatexTableError(`row ${i + 1} has ${row.length} cells, the table has ${spec.columns.length} columns`);
    }
  });
}

/** A booktabs table (table float with caption and label) for pdflatex; see the module comment. */
export function latexTable(spec: LatexTableSpec): string {
  const precision = spec.precision ?? 2;
  checkSpec(spec, precision);
  const decimals = spec.columns.map((c) => c.decimals ?? precision);
  const best = spec.columns.map((c, j) => {
    if (!c.better) return null;
    const values = spec.rows.map((row) => comparable(row[j], decimals[j])).filter((x): x is number => x !== null);
    if (values.length < 2) return null;
    return c.better === 'higher' ? Math.max(...values) : Math.min(...values);
  });
  const line = (cells: string[]) => `${cells.map((c, j) => (j === 0 ? guardStart(c) : c)).join(' & ')} \\\\`;
  const body = spec.rows.map((row) =>
    line(row.map((v, j) => {
      const cell = renderCell(v, decimals[j]);
      if (best[j] === null || cell === '' || comparable(v, decimals[j]) !== best[j]) return cell;
      // \boldmath makes the math minus and ± of the cell bold too.
      return cell.includes('$') ? `\\textbf{\\boldmath ${cell}}` : `\\textbf{${cell}}`;
    })),
  );

  const texts = [spec.caption, ...spec.columns.map((c) => c.header), ...spec.rows.flat().map((v) => (v.kind === 'text' ? v.text : ''))];
  const scripts = unsupportedScripts(texts.join('\n'));
  const note = scripts.length === 0 ? [] : [
    `% This table has ${scripts.join(', ')} text that pdflatex cannot print: compile it with XeLaTeX or`,
    '% LuaLaTeX and \\usepackage{fontspec}, with a main font that covers these scripts.',
  ];
  return [
    ...note,
    '\\begin{table}[htbp]',
    '\\centering',
    `\\caption{${latexEscape(spec.caption)}}`,
    `\\label{${sanitizeLabel(spec.label)}}`,
    `\\begin{tabular}{${spec.columns.map((c) => c.align).join('')}}`,
    '\\toprule',
    line(spec.columns.map((c) => latexEscape(c.header))),
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    '\\end{table}',
    '',
  ].join('\n');
}
