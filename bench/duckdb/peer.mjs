// The DuckDB peer of the search benchmark: loads the peer tables from CSV, runs each filtered
// query of filtered.ndjson (count, page, facets) and checks the answers against the engine's.
//
//   node peer.mjs DIR      (reads DIR/peer_*.csv and DIR/filtered.ndjson, writes DIR/duckdb.json)
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';

const dir = process.argv[2];
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();

const schema = {
  peer_accounts:
    'account_id BIGINT, creator_id BIGINT, platform VARCHAR, handle VARCHAR, followers BIGINT, ' +
    'tier VARCHAR, er DOUBLE, quality DOUBLE, rate_cents BIGINT, country VARCHAR, language VARCHAR, ' +
    'female DOUBLE, male DOUBLE, other DOUBLE, age_13_17 DOUBLE, age_18_24 DOUBLE, ' +
    'age_25_34 DOUBLE, age_35_44 DOUBLE, age_45_54 DOUBLE, age_55 DOUBLE',
  peer_niches: 'account_id BIGINT, niche VARCHAR',
  peer_audience: 'account_id BIGINT, country VARCHAR, share DOUBLE',
};
let start = performance.now();
for (const [table, columns] of Object.entries(schema)) {
  await db.run(`CREATE TABLE ${table} (${columns})`);
  await db.run(`COPY ${table} FROM '${dir}/${table}.csv' (HEADER false)`);
}
const loadSeconds = (performance.now() - start) / 1000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.ceil(s.length / 2) - 1] : 0;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : 0;
};

const lines = readFileSync(`${dir}/filtered.ndjson`, 'utf8').split('\n').filter(Boolean);
const times = [];
const disagreements = [];
let agree = 0;
for (const line of lines) {
  const q = JSON.parse(line);
  const t0 = performance.now();
  const total = Number((await db.runAndReadAll(q.count_sql)).getRows()[0][0]);
  const top = (await db.runAndReadAll(q.top_sql)).getRows().map((r) => Number(r[0]));
  const facets = [];
  for (const f of q.facets) {
    const counts = {};
    for (const [value, count] of (await db.runAndReadAll(f.sql)).getRows()) {
      counts[value === '' ? '' : value] = Number(count);
    }
    facets.push(counts);
  }
  times.push(performance.now() - t0);
  const sameFacets = q.facets.every((f, i) => {
    const a = Object.entries(f.counts).sort();
    const b = Object.entries(facets[i]).sort();
    return JSON.stringify(a) === JSON.stringify(b);
  });
  const ok = total === q.total && JSON.stringify(top) === JSON.stringify(q.top) && sameFacets;
  if (ok) agree++;
  else if (disagreements.length < 5) disagreements.push({ query: q.query, engine: q.total, duckdb: total });
}
const result = {
  load_seconds: loadSeconds,
  filtered: { count: times.length, p50_ms: median(times), p90_ms: pct(times, 0.9), p99_ms: pct(times, 0.99) },
  agreement: { agree, queries: lines.length, disagreements },
};
writeFileSync(`${dir}/duckdb.json`, JSON.stringify(result, null, 2) + '\n');
console.error(JSON.stringify(result));
