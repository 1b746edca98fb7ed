// POST /v1/search at a fixed overall request rate, cycling through a file of query bodies (one
// JSON query per line), and prints autocannon's latency percentiles and counts as JSON.
//   node fixed_rate.mjs URL KEY QUERIES_FILE RATE SECONDS CONNECTIONS
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const [url, key, queriesPath, rate, seconds, connections] = process.argv.slice(2);
const bodies = readFileSync(queriesPath, "utf8").split("\n").filter((l) => l.trim());
const requests = bodies.map((body) => ({
  method: "POST",
  path: "/v1/search",
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body,
}));
const result = await autocannon({
  url,
  connections: Number(connections),
  overallRate: Number(rate),
  duration: Number(seconds),
  requests,
  // Each connection walks the list from its own start, so all the queries run.
  idReplacement: false,
});
const l = result.latency;
console.log(JSON.stringify({
  requests: result.requests.total,
  rate_per_s: result.requests.average,
  non_2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  latency_ms: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max },
}));
