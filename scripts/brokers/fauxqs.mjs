// fauxqs (in-memory SNS + SQS emulator, npm fauxqs 1.9.2) bound to 127.0.0.1 only.
// Its own CLI binds 0.0.0.0, so we start it from code. Run through scripts/brokers/fauxqs.sh.
// We use it for SNS -> SQS fan-out: it delivers SNS messages only to its own SQS queues.
import { buildApp } from "fauxqs";

const port = Number(process.env.HYPC_FAUXQS_PORT ?? 4566);
const app = buildApp({ logger: false, defaultRegion: "eu-west-1" });
await app.listen({ host: "127.0.0.1", port });
process.stdout.write(`fauxqs listening on http://127.0.0.1:${port}\n`);

// SIGTERM from the stop script: close the listener, then exit.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    app.close().finally(() => process.exit(0));
  });
}
