// Commit-to-receipt latency of herald's events, for bench/capture.sh:
//   node tools/node/bench-latency.mjs --subject 'bench.>' --warmup 5 --seconds 20
// Subscribes with an ordered push consumer delivering only new messages, and for each
// event computes (now - event.timestamp), where `timestamp` is the transaction's commit
// time as PostgreSQL recorded it (microseconds). Events whose commit time falls in the
// first --warmup seconds after the consumer started are not counted; counting stops
// --seconds after the warm-up. Prints one JSON line: count, p50, p90, p99, max (ms).
//
// It measures commit -> consumer receipt: the JetStream ack that herald waits for
// happens before the server delivers to this consumer, so this bounds commit -> ack
// from above. It also reports commit -> stored, from the time JetStream stamped on the
// message when it stored it (the ack follows at once), which leaves the delivery to this
// consumer out. All clocks are this machine's, so no skew enters.
import { connect, consumerOpts } from "nats";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const subject = option("--subject", "bench.>");
const warmupMs = Number(option("--warmup", "5")) * 1000;
const windowMs = Number(option("--seconds", "20")) * 1000;
const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

// Wall clock with sub-millisecond resolution (Date.now() has whole milliseconds).
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

// "2026-11-26T05:30:00.123456Z" -> microseconds since the epoch.
const parseMicros = (text) => {
  const dot = text.indexOf(".");
  const whole = Date.parse(text.slice(0, dot) + "Z");
  const fraction = text.slice(dot + 1, text.length - 1).padEnd(6, "0");
  return whole * 1000 + Number(fraction);
};

const nc = await connect({ servers: url });
const js = nc.jetstream();
const opts = consumerOpts();
opts.orderedConsumer();
opts.deliverNew();
opts.filterSubject(subject);
const sub = await js.subscribe(subject, opts);

const start = nowMicros();
const from = start + warmupMs * 1000;
const until = from + windowMs * 1000;
const latencies = [];
const stored = []; // commit -> stored in the stream
let received = 0;
let lastSeen = 0;
// Ends the loop when no event committed after the window ever arrives (the load stopped).
const timer = setTimeout(() => sub.unsubscribe(), warmupMs + windowMs + 3000);
console.error(`bench-latency: subscribed to ${subject}; warm-up ${warmupMs / 1000} s, window ${windowMs / 1000} s`);

for await (const m of sub) {
  const now = nowMicros();
  received++;
  const event = JSON.parse(new TextDecoder().decode(m.data));
  const committed = parseMicros(event.timestamp);
  if (committed >= from && committed < until) {
    latencies.push((now - committed) / 1000);
    stored.push((m.info.timestampNanos / 1000 - committed) / 1000);
  }
  lastSeen = now;
  if (committed >= until) break;
}
clearTimeout(timer);
await nc.close();

latencies.sort((a, b) => a - b);
stored.sort((a, b) => a - b);
const pickFrom = (values, q) =>
  values.length === 0 ? null : values[Math.min(values.length - 1, Math.floor(q * values.length))];
const pick = (q) => pickFrom(latencies, q);
const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
console.log(
  JSON.stringify({
    count: latencies.length,
    received,
    window_s: windowMs / 1000,
    rate_per_s: Math.round(latencies.length / (windowMs / 1000)),
    p50_ms: round(pick(0.5)),
    p90_ms: round(pick(0.9)),
    p99_ms: round(pick(0.99)),
    p999_ms: round(pick(0.999)),
    max_ms: round(latencies.length ? latencies[latencies.length - 1] : null),
    mean_ms: round(latencies.length ? latencies.reduce((s, x) => s + x, 0) / latencies.length : null),
    stored_p50_ms: round(pickFrom(stored, 0.5)),
    stored_p99_ms: round(pickFrom(stored, 0.99)),
    stored_max_ms: round(pickFrom(stored, 1)),
    last_seen_s: round((lastSeen - start) / 1e6),
  }),
);
