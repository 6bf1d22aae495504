import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { LatexTableError, latexEscape, latexTable, unsupportedScripts, type LatexTableSpec } from '../../src/compare/latex-table';

const PREAMBLE = '\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}\\usepackage{booktabs}';
// \tracinglostchars=3 (pdfTeX 1.40.22+) makes a character missing from the font an error, not a silent gap.
const documentWith = (body: string) => `${PREAMBLE}\n\\tracinglostchars=3\n\\begin{document}\n${body}\n\\end{document}\n`;

interface Compiled { available: boolean; ok: boolean; log: string }
const compile = (tex: string) => executeServerCommand<Compiled, { tex: string }>('pdflatex', { tex });

// A tiny reader of what latexEscape writes, with its own tables: reading the output back must give
// the original text (NFC), so no character is lost, doubled or turned into another.
const TEXT_ACCENTS: Record<string, string> = {
  '`': '\u0300', "'": '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', u: '\u0306', '.': '\u0307', '"': '\u0308',
  r: '\u030A', H: '\u030B', v: '\u030C', d: '\u0323', c: '\u0327', k: '\u0328', b: '\u0331', textcommabelow: '\u0326',
};
const MATH: Record<string, string> = {
  alpha: 'α', beta: 'β', iota: 'ι', sigma: 'σ', varsigma: 'ς', Omega: 'Ω', mu: 'μ', varepsilon: 'ε', varphi: 'φ', phi: 'ϕ',
  Delta: 'Δ', leq: '≤', geq: '≥', infty: '∞', acute: '\u0301', ddot: '\u0308', '-': '−',
};
const WORDS: Record<string, string> = { textasciitilde: '~', textasciicircum: '^', textbackslash: '\\' };

function readBack(tex: string): string {
  let i = 0;
  const group = (math = false): string => {
    expect(tex[i], `a group at ${i} of ${tex}`).to.equal('{');
    i++;
    const inner = sequence(math);
    expect(tex[i], `end of group at ${i} of ${tex}`).to.equal('}');
    i++;
    return inner;
  };
  const command = (math: boolean): string => {
    i++;
    const name = /^[A-Za-z]+/.exec(tex.slice(i))?.[0] ?? tex[i];
    i += name.length;
    if (!math && '&%$#_{}'.includes(name)) return name;
    if (!math && name in WORDS) {
      expect(tex.slice(i, i + 2)).to.equal('{}');
      i += 2;
      return WORDS[name];
    }
    if (!math && name in TEXT_ACCENTS) return (group() + TEXT_ACCENTS[name]).normalize('NFC');
    if (math && name === 'mathrm') return group(true);
    if (math && (name === 'acute' || name === 'ddot')) return (group(true) + MATH[name]).normalize('NFC');
    if (math && name in MATH) return MATH[name];
    throw new Error(`unexpected command \\${name} in ${tex}`);
  };
  const sequence = (math: boolean): string => {
    let out = '';
    while (i < tex.length && tex[i] !== '}' && !(math && tex[i] === '$')) {
      const ch = tex[i];
      if (ch === '\\') out += command(math);
      else if (ch === '{') out += group(math);
      else if (!math && ch === '$') {
        i++;
        out += sequence(true);
        expect(tex[i]).to.equal('$');
        i++;
      } else {
        expect('&%#_~^', `unescaped ${ch} in ${tex}`).not.to.include(ch);
        out += math && ch === '-' ? '−' : ch;
        i++;
      }
    }
    return out;
  };
  const text = sequence(false);
  expect(i, `unbalanced braces in ${tex}`).to.equal(tex.length);
  return text;
}

describe('latexEscape', () => {
  it('escapes every LaTeX special character', () => {
    const cases: [string, string][] = [
      ['&', '\\&'], ['%', '\\%'], ['$', '\\$'], ['#', '\\#'], ['_', '\\_'], ['{', '\\{'], ['}', '\\}'],
      ['~', '\\textasciitilde{}'], ['^', '\\textasciicircum{}'], ['\\', '\\textbackslash{}'],
    ];
    for (const [text, tex] of cases) expect(latexEscape(text), text).to.equal(tex);
    expect(latexEscape('Test_Acc_%')).to.equal('Test\\_Acc\\_\\%');
    expect(latexEscape('a&b #1 {x} ~y^z \\path$')).to.equal('a\\&b \\#1 \\{x\\} \\textasciitilde{}y\\textasciicircum{}z \\textbackslash{}path\\$');
  });

  it('keeps accented Latin letters as UTF-8 for inputenc', () => {
    expect(latexEscape('Crème brûlée naïve Ångström Łódź')).to.equal('Crème brûlée naïve Ångström Łódź');
    expect(latexEscape('Ørsted Œuvre Şişli ß')).to.equal('Ørsted Œuvre Şişli ß');
    // A decomposed é (e + combining acute) is composed first.
    expect(latexEscape('Cafe\u0301')).to.equal('Café');
  });

  it('writes Latin letters inputenc lacks as accent commands', () => {
    expect(latexEscape('Nguyễn')).to.equal('Nguy\\~{\\^{e}}n');
    expect(latexEscape('ḍ Ḍ')).to.equal('ḍ \\d{D}');
    expect(latexEscape('q\u0301')).to.equal("\\'{q}");
  });

  it('turns Greek letters into math, one group for adjacent letters', () => {
    expect(latexEscape('α-β σ run')).to.equal('$\\alpha$-$\\beta$ $\\sigma$ run');
    expect(latexEscape('Ω')).to.equal('$\\Omega$');
    expect(latexEscape('µ and μ')).to.equal('$\\mu$ and $\\mu$');
    expect(latexEscape('αβ')).to.equal('$\\alpha\\beta$');
    expect(latexEscape('ά')).to.equal('$\\acute{\\alpha}$');
    expect(latexEscape('Δ ≤ 0.1')).to.equal('$\\Delta$ $\\leq$ 0.1');
  });

  it('keeps characters that T1 would join into ligatures', () => {
    expect(latexEscape('a--b')).to.equal('a-{}-b');
    expect(latexEscape('<<x>>')).to.equal('<{}<x>{}>');
    expect(latexEscape("it''s")).to.equal("it'{}'s");
  });

  it('turns line breaks and tabs into spaces and drops control characters', () => {
    expect(latexEscape('a\nb\tc\r\nd')).to.equal('a b c  d');
    expect(latexEscape('a\u0000b\u007f\u200bc')).to.equal('abc');
  });

  it('gives text that reads back as the original', () => {
    const texts = [
      'simple_cnn', 'Test_Acc_%', 'a&b #1 {x} ~y^z \\path$', 'Crème brûlée naïve Ångström Łódź', 'α-β σ run',
      '\\\\ {} }{ $$ ^^ ~~ __', 'Nguyễn Thị Ánh', 'ά ϊ', 'ε φ ϕ', 'a--b', '100% of µ ≥ ∞',
    ];
    for (const text of texts) expect(readBack(latexEscape(text)), text).to.equal(text.normalize('NFC').replace(/µ/g, 'μ'));
  });
});

describe('unsupportedScripts', () => {
  it('is empty for Latin, Greek, digits and common punctuation', () => {
    expect(unsupportedScripts('simple_cnn 98.5% — “ok” … € Crème Łódź Nguyễn α-β Ω µ ≤ ± × →')).to.deep.equal([]);
  });

  it('names the scripts pdflatex cannot print, in order of appearance, once each', () => {
    expect(unsupportedScripts('模型 A')).to.deep.equal(['Han']);
    expect(unsupportedScripts('Модель 模型 модель')).to.deep.equal(['Cyrillic', 'Han']);
    expect(unsupportedScripts('نموذج')).to.deep.equal(['Arabic']);
    expect(unsupportedScripts('モデル')).to.deep.equal(['Katakana']);
    expect(unsupportedScripts('모델 मॉडल')).to.deep.equal(['Hangul', 'Devanagari']);
    expect(unsupportedScripts('run 🚀')).to.deep.equal(['Emoji']);
    expect(unsupportedScripts('∮')).to.deep.equal(['Symbols']);
  });

  it('names Latin only for the letters T1 has no glyph or accent for', () => {
    expect(unsupportedScripts('ħ')).to.deep.equal(['Latin']);
    expect(unsupportedScripts('ở')).to.deep.equal(['Latin']);
  });

  it('leaves the unprintable text in the escaped output for XeLaTeX', () => {
    expect(latexEscape('模型_1')).to.equal('模型\\_1');
  });
});

const spec = (over: Partial<LatexTableSpec> = {}): LatexTableSpec => ({
  caption: 'Model Performance Comparison',
  label: 'tab:model_comparison',
  columns: [
    { header: 'Model', align: 'l' },
    { header: 'Parameters', align: 'r', decimals: 0 },
    { header: 'Test_Acc_%', align: 'r', better: 'higher' },
    { header: 'Val loss', align: 'r', decimals: 3, better: 'lower' },
    { header: 'Training_Time', align: 'l' },
  ],
  rows: [
    [{ kind: 'text', text: 'simple_cnn' }, { kind: 'number', value: 64966 }, { kind: 'meanStd', mean: 89.7512, std: 4.6381 },
      { kind: 'number', value: 0.3141 }, { kind: 'text', text: '0:08:33' }],
    [{ kind: 'text', text: 'complex_cnn' }, { kind: 'number', value: 3349190 }, { kind: 'meanStd', mean: 77.926, std: null },
      { kind: 'number', value: 0.2718 }, { kind: 'text', text: '0:21:32' }],
    [{ kind: 'text', text: 'lstm_autoencoder' }, { kind: 'number', value: null }, { kind: 'meanStd', mean: null, std: 1.2 },
      { kind: 'number', value: Number.NaN }, { kind: 'text', text: '' }],
  ],
  ...over,
});

const bodyRows = (tex: string): string[] => tex.split('\n\\midrule\n')[1].split('\n\\bottomrule')[0].split('\n');

describe('latexTable', () => {
  it('writes a booktabs table float', () => {
    expect(latexTable(spec())).to.equal([
      '\\begin{table}[htbp]',
      '\\centering',
      '\\caption{Model Performance Comparison}',
      '\\label{tab:model_comparison}',
      '\\begin{tabular}{lrrrl}',
      '\\toprule',
      'Model & Parameters & Test\\_Acc\\_\\% & Val loss & Training\\_Time \\\\',
      '\\midrule',
      'simple\\_cnn & 64966 & \\textbf{\\boldmath 89.75 $\\pm$ 4.64} & 0.314 & 0:08:33 \\\\',
      'complex\\_cnn & 3349190 & 77.93 & \\textbf{0.272} & 0:21:32 \\\\',
      'lstm\\_autoencoder &  &  &  &  \\\\',
      '\\bottomrule',
      '\\end{tabular}',
      '\\end{table}',
      '',
    ].join('\n'));
  });

  it('bolds every value tied for best as printed, higher or lower', () => {
    const tex = latexTable({
      caption: 'c', label: 'l',
      columns: [{ header: 'acc', align: 'r', better: 'higher', decimals: 1 }, { header: 'loss', align: 'r', better: 'lower' }],
      rows: [
        [{ kind: 'number', value: 91.04 }, { kind: 'number', value: 0.5 }],
        [{ kind: 'number', value: 90.96 }, { kind: 'number', value: 0.2 }],
        [{ kind: 'number', value: 85 }, { kind: 'meanStd', mean: 0.2, std: 0.01 }],
      ],
    });
    expect(bodyRows(tex)).to.deep.equal([
      '\\textbf{91.0} & 0.50 \\\\',
      '\\textbf{91.0} & \\textbf{0.20} \\\\',
      '85.0 & \\textbf{\\boldmath 0.20 $\\pm$ 0.01} \\\\',
    ]);
  });

  it('makes the minus of a bold negative value bold too', () => {
    const tex = latexTable({
      caption: 'c', label: 'l',
      columns: [{ header: 'delta', align: 'r', better: 'lower' }],
      rows: [[{ kind: 'number', value: -1.5 }], [{ kind: 'number', value: 0.25 }]],
    });
    expect(bodyRows(tex)).to.deep.equal(['\\textbf{\\boldmath $-$1.50} \\\\', '0.25 \\\\']);
  });

  it('bolds nothing in a column without a better direction or with a single value', () => {
    const tex = latexTable({
      caption: 'c', label: 'l',
      columns: [{ header: 'a', align: 'r' }, { header: 'b', align: 'r', better: 'higher' }],
      rows: [
        [{ kind: 'number', value: 1 }, { kind: 'number', value: 3 }],
        [{ kind: 'number', value: 2 }, { kind: 'number', value: null }],
      ],
    });
    expect(tex).not.to.include('\\textbf');
  });

  it('prints numbers with the column decimals, a real minus, no negative zero and no NaN or Infinity', () => {
    const tex = latexTable({
      caption: 'c', label: 'l', precision: 3,
      columns: [{ header: 'x', align: 'r' }, { header: 'y', align: 'r', decimals: 0 }],
      rows: [
        [{ kind: 'number', value: -0.0001 }, { kind: 'number', value: -0.4 }],
        [{ kind: 'number', value: -1.23456 }, { kind: 'number', value: 2.5 }],
        [{ kind: 'number', value: Number.POSITIVE_INFINITY }, { kind: 'number', value: Number.NEGATIVE_INFINITY }],
        [{ kind: 'meanStd', mean: Number.NaN, std: 1 }, { kind: 'meanStd', mean: 3, std: Number.NaN }],
      ],
    });
    expect(bodyRows(tex)).to.deep.equal([
      '0.000 & 0 \\\\',
      '$-$1.235 & 3 \\\\',
      ' &  \\\\',
      ' & 3 \\\\',
    ]);
    expect(tex).not.to.match(/NaN|Infinity/);
  });

  it('escapes the caption, sanitises the label and guards a cell starting with [ or *', () => {
    const tex = latexTable(spec({
      caption: '50% of runs_α',
      label: 'tab:Crème brûlée & {x}',
      rows: [[{ kind: 'text', text: '[best]' }, { kind: 'number', value: 1 }, { kind: 'number', value: 1 }, { kind: 'number', value: 1 }, { kind: 'text', text: '*' }]],
    }));
    expect(tex).to.include('\\caption{50\\% of runs\\_$\\alpha$}');
    expect(tex).to.include('\\label{tab:Creme-brulee-x}');
    expect(bodyRows(tex)[0]).to.equal('{}[best] & 1 & 1.00 & 1.000 & * \\\\');
  });

  it('starts with a comment naming the scripts that need XeLaTeX or LuaLaTeX', () => {
    const tex = latexTable(spec({ caption: 'Модели', rows: [[{ kind: 'text', text: '模型' }, ...spec().rows[0].slice(1)]] }));
    const lines = tex.split('\n');
    expect(lines[0]).to.match(/^% .*Cyrillic, Han.*XeLaTeX or$/);
    expect(lines[1]).to.match(/^% LuaLaTeX and \\usepackage\{fontspec\}/);
    expect(lines[2]).to.equal('\\begin{table}[htbp]');
    expect(latexTable(spec())).not.to.match(/^%/);
  });

  it('refuses rows of the wrong width and invalid decimals or alignment, by name', () => {
    const cases: [Partial<LatexTableSpec>, string][] = [
      [{ rows: [[{ kind: 'number', value: 1 }]] }, 'row 1 has 1 cells, the table has 5 columns'],
      [{ precision: -1 }, 'invalid number of decimals for the table: -1 (0 to 20)'],
      [{ columns: [{ header: 'acc', align: 'r', decimals: 1.5 }], rows: [] }, 'invalid number of decimals for column "acc": 1.5 (0 to 20)'],
      [{ columns: [{ header: 'acc', align: 'x' as 'l' }], rows: [] }, 'invalid alignment for column "acc": x (l, r or c)'],
      [{ columns: [], rows: [] }, 'a LaTeX table needs at least one column'],
    ];
    for (const [over, message] of cases) {
      expect(() => latexTable(spec(over))).to.throw(LatexTableError, message);
      try {
        latexTable(spec(over));
      } catch (e) {
        expect((e as Error).name).to.equal('LatexTableError');
      }
    }
  });
});

// The reference compare_models.py's comparison_table.tex (its first rows), as it wrote it.
const REFERENCE_TABLE = String.raw`\begin{table}
\caption{Model Performance Comparison}
\label{tab:model_comparison}
\begin{tabular}{lrrrr}
\toprule
Model & Parameters & Test_Acc_% & Val_Acc_% & Training_Time \\
\midrule
lstm_autoencoder & 443527 & 98.950000 & 98.760000 & 0:15:45 \\
simple_cnn & 64966 & 98.360000 & 98.440000 & 0:08:33 \\
\bottomrule
\end{tabular}
\end{table}
`;

describe('latexTable compiles with pdflatex', function () {
  this.timeout(180000);

  it('compiles a table of names full of specials, accents and Greek', async function () {
    const names = ['simple_cnn', 'Test_Acc_%', 'a&b #1 {x} ~y^z \\path$', 'Crème brûlée naïve Ångström Łódź', 'α-β σ run'];
    const tex = latexTable({
      caption: 'Runs of simple_cnn: 100% & more',
      label: 'tab:model_comparison',
      columns: [
        { header: 'Model', align: 'l' },
        { header: 'Test_Acc_%', align: 'r', better: 'higher' },
        { header: 'Val_Loss ~^', align: 'c', better: 'lower', decimals: 3 },
      ],
      rows: names.map((name, i) => [
        { kind: 'text', text: name },
        { kind: 'meanStd', mean: 90 + i, std: i === 0 ? null : 0.5 },
        { kind: 'number', value: i === 2 ? null : 0.1 * i - 0.2 },
      ]),
    });
    const result = await compile(documentWith(tex));
    if (!result.available) this.skip();
    expect(result.ok, result.log).to.equal(true);
  });

  it("fails on the reference's own comparison_table.tex: the checker can fail", async function () {
    const result = await compile(documentWith(REFERENCE_TABLE));
    if (!result.available) this.skip();
    expect(result.ok).to.equal(false);
    expect(result.log).to.match(/Missing \$ inserted/);
  });

  it('compiles every character unsupportedScripts accepts', async function () {
    const accepted: string[] = [];
    const ranges: [number, number][] = [[0x20, 0x2bff], [0x1e00, 0x1eff], [0xfb00, 0xfb06]];
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        if (/\p{M}|\p{Cs}|\p{Cn}/u.test(ch)) continue;
        if (unsupportedScripts(ch).length === 0) accepted.push(ch);
      }
    }
    expect(accepted.length).to.be.greaterThan(700);
    expect(accepted).to.include.members(['Ł', 'ễ', 'Ω', '€', '™']);
    const lines: string[] = [];
    for (let i = 0; i < accepted.length; i += 40) lines.push(accepted.slice(i, i + 40).map(latexEscape).join(' '));
    const result = await compile(documentWith(lines.join('\n\n')));
    if (!result.available) this.skip();
    expect(result.ok, result.log).to.equal(true);
  });
});
