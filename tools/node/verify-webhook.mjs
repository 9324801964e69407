// Verifies one webhook request with the npm `standardwebhooks` library (the Standard
// Webhooks reference implementation), so herald's signatures are checked by code no one
// here wrote.
//
// Usage: node verify-webhook.mjs --id ID --timestamp SECONDS --signature "v1,..."
//            [--body-file PATH] [--raw-secret]
//   The secret comes from the WEBHOOK_SECRET environment variable (or --secret SECRET),
//   so it stays out of process listings. The body is read from --body-file, else stdin.
//   A `whsec_<base64>` secret is used as Standard Webhooks libraries take it; with
//   --raw-secret the secret's UTF-8 bytes are the key (herald's treatment of a secret
//   without the whsec_ prefix).
//   The library also checks the timestamp: within 5 minutes of now.
// Exit: 0 verified, 1 rejected (the reason on stderr), 2 bad usage.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

function parseArgs(argv) {
  const options = { rawSecret: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--id") options.id = value();
    else if (arg === "--timestamp") options.timestamp = value();
    else if (arg === "--signature") options.signature = value();
    else if (arg === "--body-file") options.bodyFile = value();
    else if (arg === "--secret") options.secret = value();
    else if (arg === "--raw-secret") options.rawSecret = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  options.secret ??= process.env.WEBHOOK_SECRET;
  for (const name of ["id", "timestamp", "signature", "secret"]) {
    if (options[name] === undefined) throw new Error(`missing ${name}`);
  }
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`verify-webhook: ${error.message}`);
  process.exit(2);
}

const body = readFileSync(options.bodyFile ?? 0).toString("utf8");
const webhook = options.rawSecret
  ? new Webhook(Buffer.from(options.secret, "utf8"), { format: "raw" })
  : new Webhook(options.secret);
const headers = {
  "webhook-id": options.id,
  "webhook-timestamp": options.timestamp,
  "webhook-signature": options.signature,
};
try {
  webhook.verify(body, headers, { jsonParse: false });
  console.log("verified");
  process.exit(0);
} catch (error) {
  console.error(`verify-webhook: rejected: ${error.message}`);
  process.exit(1);
}
