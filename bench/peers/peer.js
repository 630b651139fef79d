// onnxruntime-node's side of bench/peers.sh: one model, one FP32[1, 3, H, W] input filled as the Java side
// fills it, the same session settings as Conduit's engine (THREADS intra-op threads, all graph
// optimisations, sequential, pool threads not spinning); WARM untimed runs, then ROUNDS timed runs, each
// ending when the output is in a JavaScript array. Prints "node MEDIAN_MS MIN_MS".
// Usage: node peer.js MODEL ROUNDS HEIGHT WIDTH THREADS
'use strict';
const ort = require('onnxruntime-node');

async function main() {
  const [model, rounds, height, width, threads] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const count = 3 * Number(height) * Number(width);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = (i % 997) / 997;
  }
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', values, [1, 3, Number(height), Number(width)]) };
  const output = session.outputNames[0];
  let check = 0;
  for (let i = 0; i < 3; i++) {
    check += (await session.run(feeds))[output].data[0];
  }
  const times = [];
  for (let i = 0; i < Number(rounds); i++) {
    const start = process.hrtime.bigint();
    const result = await session.run(feeds);
    check += result[output].data[0];
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  console.log('node ' + median.toFixed(2) + ' ' + times[0].toFixed(2) + (Number.isFinite(check) ? '' : ' (NaN output)'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
