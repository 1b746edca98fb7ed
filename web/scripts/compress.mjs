// Writes FILE.gz beside each built text asset, so that the server can answer
// Accept-Encoding: gzip without compressing on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";

const root = new URL("../dist/", import.meta.url).pathname;
const compressible = /\.(html|js|mjs|css|svg|json|txt|map)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (compressible.test(name)) {
      const gz = gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION });
      writeFileSync(path + ".gz", gz);
    }
  }
}
walk(root);
