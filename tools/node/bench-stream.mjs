// JetStream helpers for bench/capture.sh (NATS_URL says where NATS is):
//   node tools/node/bench-stream.mjs count   --stream S           -> prints the message count
//   node tools/node/bench-stream.mjs catchup --stream S --target N --log FILE -- CMD ARGS...
//
// catchup starts CMD (herald run ...) detached, with its output appended to FILE, then
// polls the stream every 5 ms until it holds N messages, sampling CMD's VmRSS from
// /proc as it goes. It prints one JSON line: the pid (CMD keeps running), seconds from
// spawn to N messages, seconds to the first new message, the RSS when the first
// message arrived, the peak RSS sampled, VmHWM at the end, and CMD's CPU seconds.
// Polling through one NATS connection (not curl in a loop) keeps the observer cheap on
// a 2-core machine.
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { connect } from "nats";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const own = dash >= 0 ? args.slice(0, dash) : args;
const command = dash >= 0 ? args.slice(dash + 1) : [];
const option = (name, fallback) => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1] : fallback;
};
const mode = own[0];
const stream = option("--stream", "HERALD_BENCH");
const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

const nc = await connect({ servers: url });
const jsm = await nc.jetstreamManager();

const messages = async () => {
  try {
    return (await jsm.streams.info(stream)).state.messages;
  } catch (e) {
    if (String(e).includes("stream not found")) return 0;
    throw e;
  }
};

// VmRSS and VmHWM in KiB, or null once the process is gone.
const memory = (pid) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    return { rss: field("VmRSS"), hwm: field("VmHWM") };
  } catch {
    return null;
  }
};

// utime + stime in seconds (clock ticks are 100 per second on Linux).
const cpuSeconds = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (mode === "count") {
  console.log(await messages());
} else if (mode === "catchup") {
  const target = Number(option("--target", "0"));
  const log = openSync(option("--log", "/dev/null"), "a");
  const timeoutMs = Number(option("--timeout", "120")) * 1000;
  const start = performance.now();
  const child = spawn(command[0], command.slice(1), { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  const pid = child.pid;
  let exited = null;
  child.on("exit", (code) => (exited = code));
  const before = await messages();
  let first = null;
  let rssAtFirst = null;
  let peak = 0;
  let count = before;
  const fail = (why) => {
    // Not left running behind a failed measurement: the caller never learns its pid.
    if (exited === null) process.kill(pid, "SIGTERM");
    throw new Error(why);
  };
  while (count < target) {
    if (exited !== null) fail(`${command[0]} exited with ${exited} during catch-up`);
    if (performance.now() - start > timeoutMs) fail(`timed out at ${count} of ${target} messages`);
    await sleep(5);
    const m = memory(pid);
    if (m) peak = Math.max(peak, m.rss);
    count = await messages();
    if (first === null && count > before) {
      first = (performance.now() - start) / 1000;
      rssAtFirst = m?.rss ?? null;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const end = memory(pid);
  console.log(
    JSON.stringify({
      pid,
      messages: count,
      seconds,
      first_message_s: first,
      rss_at_first_kb: rssAtFirst,
      peak_rss_kb: Math.max(peak, end?.rss ?? 0),
      hwm_kb: end?.hwm ?? null,
      cpu_s: cpuSeconds(pid),
    }),
  );
} else {
  console.error("usage: bench-stream.mjs count|catchup --stream S [--target N --log FILE -- CMD ...]");
  process.exitCode = 2;
}
await nc.close();
