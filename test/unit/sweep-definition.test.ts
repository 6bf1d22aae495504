import { expect } from '@esm-bundle/chai';
import { MAX_SWEEP_RUNS, SWEEP_KEYS, describeSweep, drawInRange, expandSweep, parseSweepText, planSweep, sameSweep, shownState, sweepFormOf, type SweepPlan } from '../../src/app/sweep-definition';
import { defaultSweepForm, type SweepForm } from '../../src/app/sweep-form';
import { createRng } from '../../src/training/rng';
import { parseLabState, type LabState } from '../../src/url-state';

const lab = (query: string): LabState => {
  const { state, errors } = parseLabState(query);
  expect(errors, query).to.deep.equal([]);
  return state;
};
const BASE = '?dataset=moons&samples=200&hidden=4&epochs=2';
const form = (params: string, o: Partial<SweepForm> = {}): SweepForm => ({
  ...defaultSweepForm(),
  params: params.split(';').map((p) => ({ key: p.slice(0, p.indexOf(':')), text: p.slice(p.indexOf(':') + 1) })),
  ...o,
});
function plan(params: string, o: Partial<SweepForm> = {}, base = BASE): SweepPlan {
  const r = planSweep(form(params, o), lab(base));
  expect(r.errors.params.filter(Boolean), 'field errors').to.deep.equal([]);
  expect([r.errors.repeats, r.errors.draws, r.errors.drawSeed, r.errors.total].filter(Boolean), 'errors').to.deep.equal([]);
  expect(r.plan, 'a plan').to.not.equal(null);
  return r.plan!;
}
const errorsOf = (params: string, o: Partial<SweepForm> = {}, base = BASE) => planSweep(form(params, o), lab(base)).errors;

describe('sweep: the text of one swept key', () => {
  it('reads values separated by | (a value may hold commas) and ranges with :log / :int', () => {
    expect(parseSweepText('0.001|0.01')).to.deep.equal({ values: ['0.001', '0.01'] });
    expect(parseSweepText(' 16,16 | 32,32 ')).to.deep.equal({ values: ['16,16', '32,32'] });
    expect(parseSweepText('adam')).to.deep.equal({ values: ['adam'] });
    expect(parseSweepText('1e-4..1e-1:log')).to.deep.equal({ range: { min: 1e-4, max: 0.1, scale: 'log', integer: false } });
    expect(parseSweepText('16..256:log:int')).to.deep.equal({ range: { min: 16, max: 256, scale: 'log', integer: true } });
    expect(parseSweepText('0.1..0.5')).to.deep.equal({ range: { min: 0.1, max: 0.5, scale: 'linear', integer: false } });
  });

  it('says what is wrong: no values, a value twice, a bad range', () => {
    const error = (t: string) => ('error' in parseSweepText(t) ? (parseSweepText(t) as { error: string }).error : '');
    expect(error('')).to.match(/^no values/);
    expect(error('  ')).to.match(/^no values/);
    expect(error('0.1|0.1')).to.equal('0.1 is listed twice');
    expect(error('1..2..3')).to.match(/bad range "1..2..3": expected min..max/);
    expect(error('a..b')).to.match(/bad range/);
    expect(error('0.5..0.1')).to.match(/minimum must be below the maximum/);
    expect(error('0..1:log')).to.match(/log range needs a minimum above 0/);
    expect(error('0.2..0.8:int')).to.match(/holds no whole number/);
    expect(error('1..2:cubic')).to.match(/unknown option ":cubic"/);
    expect(error('1;2')).to.match(/cannot hold ";"/);
  });
});

describe('sweep: grid with repeats', () => {
  it('2 × 2 values and 2 repeats make 8 runs: every combination (first key slowest), seeds 1..2, one split seed', () => {
    const p = plan('lr:0.01|0.1;batch:16|32', { repeats: 2 }, `${BASE}&seed=7`);
    expect(p.runs).to.have.length(8);
    expect(p.runs.map((r) => [r.values.lr, r.values.batch, r.seed])).to.deep.equal([
      ['0.01', '16', 1], ['0.01', '16', 2], ['0.01', '32', 1], ['0.01', '32', 2],
      ['0.1', '16', 1], ['0.1', '16', 2], ['0.1', '32', 1], ['0.1', '32', 2],
    ]);
    expect(p.runs.map((r) => r.config_index)).to.deep.equal([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(p.runs.map((r) => r.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.definition).to.include({ mode: 'grid', repeats: 2, draws: null, split_seed: 7 });
    for (const r of p.runs) {
      expect(r.status).to.equal('pending');
      expect(r.run_id).to.equal(null);
      const s = lab(r.query); // each run is a full Lab address the Lab accepts
      expect(s.config.seed).to.equal(r.seed);
      expect(s.splitSeed).to.equal(7, 'the base seed is the split seed of every run');
      expect(s.config.learningRate).to.equal(Number(r.values.lr));
      expect(s.config.batchSize).to.equal(Number(r.values.batch));
      expect(s.synthetic.samples).to.equal(200);
      expect(s.mlp.hidden).to.deep.equal([4]);
      expect(r.query).to.not.match(/sweep|repeats|autostart/);
    }
    expect(p.epochs).to.deep.equal(Array(8).fill(2));
  });

  it('an explicit sseed is the split seed; values holding commas reach the address as written', () => {
    const p = plan('hidden:16,16|32,32', { repeats: 3 }, `${BASE}&seed=5&sseed=11`);
    expect(p.definition.split_seed).to.equal(11);
    expect(p.runs.map((r) => r.values.hidden)).to.deep.equal(['16,16', '16,16', '16,16', '32,32', '32,32', '32,32']);
    expect(p.runs.map((r) => lab(r.query).mlp.hidden)).to.deep.equal([[16, 16], [16, 16], [16, 16], [32, 32], [32, 32], [32, 32]]);
    expect(p.runs.map((r) => lab(r.query).splitSeed)).to.deep.equal(Array(6).fill(11));
    expect(p.runs.map((r) => r.seed)).to.deep.equal([1, 2, 3, 1, 2, 3]);
  });

  it('values are recorded as the address writes them; a key written only when not the default keeps its text', () => {
    const p = plan('lr:1e-2|0.10;optimizer:sgd|adam;cw:none|balanced');
    expect([...new Set(p.runs.map((r) => r.values.lr))]).to.deep.equal(['0.01', '0.1']);
    expect([...new Set(p.runs.map((r) => r.values.cw))]).to.deep.equal(['none', 'balanced']);
    expect(p.runs.map((r) => lab(r.query).config.classWeights)).to.include.members(['none', 'balanced']);
  });

  it('swept keys that depend on others apply in the address order (sched before its step)', () => {
    const p = plan('step:2|4', {}, `${BASE}&sched=step`);
    expect(p.runs.map((r) => { const sc = lab(r.query).config.schedule; return sc.kind === 'step' ? sc.stepSize : null; })).to.deep.equal([2, 4]);
    const q = plan('sched:constant|step;lr:0.1', {}, `${BASE}&sched=cosine&minlr=0.001`); // minlr no longer applies to step: the run goes without it
    expect(q.runs.map((r) => lab(r.query).config.schedule.kind)).to.deep.equal(['constant', 'step']);
  });
});

describe('sweep: random draws', () => {
  it('the same draw seed draws the same runs; another seed draws others; values come from the lists', () => {
    const o = { mode: 'random' as const, draws: 12, repeats: 2, drawSeed: 3 };
    const a = plan('optimizer:sgd|adam|rmsprop;lr:1e-4..1e-1:log', o);
    expect(a.runs).to.have.length(24);
    expect(plan('optimizer:sgd|adam|rmsprop;lr:1e-4..1e-1:log', o).runs).to.deep.equal(a.runs);
    expect(plan('optimizer:sgd|adam|rmsprop;lr:1e-4..1e-1:log', { ...o, drawSeed: 4 }).runs).to.not.deep.equal(a.runs);
    expect(a.definition).to.include({ mode: 'random', draws: 12, draw_seed: 3 });
    for (const r of a.runs) {
      expect(['sgd', 'adam', 'rmsprop']).to.include(r.values.optimizer);
      const lr = Number(r.values.lr);
      expect(lr).to.be.within(1e-4, 0.1);
      expect(Number(lr.toPrecision(4))).to.equal(lr, 'drawn values keep 4 significant digits');
    }
    // Each drawn configuration runs with seeds 1..2.
    expect(a.runs.filter((r) => r.config_index === 5).map((r) => r.seed)).to.deep.equal([1, 2]);
    expect(new Set(a.runs.filter((r) => r.config_index === 5).map((r) => r.values.lr)).size).to.equal(1);
  });

  it('log-uniform draws spread evenly over the decades; linear ones over the range; :int draws whole numbers', () => {
    const rng = createRng(1);
    const logs = Array.from({ length: 3000 }, () => drawInRange({ min: 1e-4, max: 1e-1, scale: 'log', integer: false }, rng));
    const perDecade = [1e-3, 1e-2, 1e-1].map((hi) => logs.filter((x) => x < hi && x >= hi / 10).length);
    for (const n of perDecade) expect(n).to.be.within(850, 1150);
    const lin = Array.from({ length: 3000 }, () => drawInRange({ min: 0, max: 0.5, scale: 'linear', integer: false }, rng));
    expect(lin.filter((x) => x < 0.25).length).to.be.within(1350, 1650);
    const ints = Array.from({ length: 2000 }, () => drawInRange({ min: 16, max: 20, scale: 'linear', integer: true }, rng));
    expect(new Set(ints)).to.deep.equal(new Set([16, 17, 18, 19, 20]));
    const logInts = Array.from({ length: 500 }, () => drawInRange({ min: 8, max: 512, scale: 'log', integer: true }, rng));
    expect(logInts.every((x) => Number.isInteger(x) && x >= 8 && x <= 512)).to.equal(true);
  });

  it('integer ranges reach the runs as whole numbers', () => {
    const p = plan('batch:8..64:log:int;epochs:1..3:int', { mode: 'random', draws: 10 });
    for (const r of p.runs) {
      const s = lab(r.query);
      expect(Number.isInteger(s.config.batchSize) && s.config.batchSize >= 8 && s.config.batchSize <= 64).to.equal(true);
      expect([1, 2, 3]).to.include(s.config.epochs);
    }
    expect(p.epochs).to.deep.equal(p.runs.map((r) => lab(r.query).config.epochs));
  });
});

describe('sweep: bad input is named beside its field', () => {
  it('unknown keys, the seed, the data and its split', () => {
    expect(errorsOf('learning:0.1|0.2').params[0]).to.match(/^unknown key "learning" \(one of .*lr/);
    expect(errorsOf('seed:1|2').params[0]).to.match(/seed is what repeats vary/);
    expect(errorsOf('samples:100|200').params[0]).to.match(/changes the data or its split/);
    expect(errorsOf('split:70,15,15|80,10,10').params[0]).to.match(/same test set/);
    expect(errorsOf('lr:0.1;lr:0.2').params).to.deep.equal(['', 'lr is swept twice']);
  });

  it('values the Lab refuses, with the reason the Lab gives', () => {
    expect(errorsOf('lr:0.1|abc').params[0]).to.equal('lr=abc: not a number');
    expect(errorsOf('optimizer:adam|lion').params[0]).to.match(/^optimizer=lion: unknown optimizer/);
    expect(errorsOf('epochs:0|5').params[0]).to.match(/^epochs=0: /);
    expect(errorsOf('lr:').params[0]).to.match(/^no values/);
    expect(errorsOf('step:2|4').params[0]).to.match(/^step=2: only used with sched=step/);
  });

  it('a key these runs do not use, and a range in a grid', () => {
    expect(errorsOf('filters:8|16').params[0]).to.match(/train the same runs \(filters is not used/);
    expect(errorsOf('lr:1e-4..1e-1:log').params[0]).to.match(/range is for random draws/);
  });

  it('a range whose inner values the Lab refuses says to add :int', () => {
    expect(errorsOf('batch:16..128', { mode: 'random' }).params[0]).to.match(/^batch=\d+\.\d+: .*\(add :int to draw whole numbers\)$/);
    expect(errorsOf('batch:16..128:int', { mode: 'random' }).params[0]).to.equal('');
    expect(errorsOf('dropout:0..0.95', { mode: 'random' }).params[0]).to.match(/^dropout=0.95: /);
  });

  it('more runs than the limit are refused with the limit named; repeats and draws must be whole numbers', () => {
    const r = planSweep(form('lr:0.1|0.2|0.3|0.4|0.5;batch:8|16|32|64|128', { repeats: 9 }), lab(BASE));
    expect(r.count).to.equal(225);
    expect(r.errors.total).to.equal(`225 runs: more than the limit of ${MAX_SWEEP_RUNS} runs per sweep`);
    expect(r.plan).to.equal(null);
    expect(planSweep(form('lr:0.1|0.2', { repeats: 100 }), lab(BASE)).plan?.runs).to.have.length(200);
    expect(errorsOf('lr:0.1', { repeats: 0 }).repeats).to.match(/whole number from 1/);
    expect(errorsOf('lr:0.1', { repeats: 1.5 }).repeats).to.match(/whole number/);
    expect(errorsOf('lr:0.1', { mode: 'random', draws: Number.NaN }).draws).to.match(/whole number/);
    expect(errorsOf('lr:0.1', { mode: 'random', drawSeed: -1 }).drawSeed).to.match(/whole number from 0/);
    expect(planSweep(defaultSweepForm(), lab(BASE))).to.deep.include({ plan: null, count: null });
  });
});

describe('sweep: its definition again', () => {
  it('sweepFormOf gives the form that plans the same sweep; sameSweep ignores the base settings', () => {
    const p = plan('lr:1e-4..1e-1:log;hidden:8|16,16', { mode: 'random', draws: 5, repeats: 2, drawSeed: 9 });
    const again = planSweep(sweepFormOf(p.definition), lab(p.runs[3].query)).plan!; // the Lab shows a run of the sweep after a reload
    expect(sameSweep(again.definition, p.definition)).to.equal(true);
    expect(again.runs.map((r) => r.query)).to.deep.equal(p.runs.map((r) => r.query));
    expect(expandSweep(p.definition)).to.deep.equal(p.runs);
    expect(sameSweep(plan('lr:0.1|0.2').definition, plan('lr:0.1|0.3').definition)).to.equal(false);
    expect(describeSweep(p.definition)).to.equal('lr, hidden: 5 random draws, 2 seeds');
    expect(describeSweep(plan('lr:0.1|0.2;batch:8|16').definition)).to.equal('lr × batch, grid, 1 seed');
  });

  it('every key of the Lab form but the data, the split and the seeds can be swept', () => {
    expect(SWEEP_KEYS).to.include.members(['lr', 'batch', 'optimizer', 'hidden', 'dropout', 'wd', 'epochs', 'act', 'sched', 'backend', 'model']);
    expect(SWEEP_KEYS).to.not.include.members(['dataset', 'samples', 'split', 'seed', 'sseed', 'autostart', 'sweep', 'repeats', 'file']);
  });

  it('shownState keeps the objects of what did not change (the data is not prepared again)', () => {
    const current = { ...lab(`${BASE}&sseed=42`), sweep: form('lr:0.1|0.2') };
    const next = shownState(plan('lr:0.1|0.2').runs[1].query, current);
    expect(next.synthetic).to.equal(current.synthetic);
    expect(next.ratios).to.equal(current.ratios);
    expect(next.sweep).to.equal(current.sweep);
    expect(next.config).to.not.equal(current.config);
    expect(next.config.learningRate).to.equal(0.2);
  });
});
