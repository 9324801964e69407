// Prints every event in herald's JetStream stream as it arrives, from the beginning:
//   node tools/node/watch-events.mjs [--stream FRAISEQL] [--subject 'fraiseql.>'] [--count N]
// NATS_URL says where NATS is. Used by the demo; handy for a person watching herald.
import { connect, consumerOpts, StringCodec } from "nats";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const stream = option("--stream", "FRAISEQL");
const subject = option("--subject", "fraiseql.>");
const count = Number(option("--count", "0"));
const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

const nc = await connect({ servers: url });
const js = nc.jetstream();
const opts = consumerOpts();
opts.orderedConsumer();
opts.deliverAll();
opts.filterSubject(subject);
const sub = await js.subscribe(subject, opts);
const sc = StringCodec();
console.error(`watching stream ${stream}, subject ${subject} on ${url}`);
let seen = 0;
for await (const m of sub) {
  const event = JSON.parse(sc.decode(m.data));
  const id = m.headers?.get("Nats-Msg-Id") ?? "";
  console.log(`${m.subject}  ${id}\n${JSON.stringify(event, null, 2)}\n`);
  if (count > 0 && ++seen >= count) break;
}
await nc.close();
