// Validates recorded API responses (one JSON line each: method, route, status, content_type,
// body) against the OpenAPI document: every status must be documented for its operation, and a
// JSON body must match the documented schema.
//   node validate.mjs OPENAPI_JSON RECORDS_NDJSON
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [docPath, recordsPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, "openapi");

const pointer = (parts) => parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
const validators = new Map();
let checked = 0;
let failed = 0;
const fail = (record, why) => {
  failed += 1;
  console.log(`FAIL ${record.case}: ${record.method} ${record.route} ${record.status}: ${why}`);
};

for (const line of readFileSync(recordsPath, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const record = JSON.parse(line);
  if (!record.route) continue; // no route matched: nothing to hold it to
  // HEAD is answered for every GET, with the GET's headers and no body.
  const head = record.method === "HEAD";
  const method = head ? "get" : record.method.toLowerCase();
  const operation = doc.paths[record.route]?.[method];
  if (!operation) {
    fail(record, "the operation is not documented");
    continue;
  }
  const status = String(record.status);
  const response = operation.responses[status] ?? operation.responses.default;
  checked += 1;
  if (!response) {
    fail(record, `status ${status} is not documented (documented: ${Object.keys(operation.responses)})`);
    continue;
  }
  let content = response.content;
  let base = ["paths", record.route, method, "responses", status];
  if (response.$ref) {
    const name = response.$ref.split("/").pop();
    content = doc.components.responses[name].content;
    base = ["components", "responses", name];
  }
  if (!content || head) continue;
  const type = (record.content_type || "").split(";")[0].trim();
  if (!content[type]) {
    fail(record, `content type '${type}' is not documented (${Object.keys(content)})`);
    continue;
  }
  if (type !== "application/json" && !type.endsWith("+json")) continue;
  const ref = `openapi#/${pointer([...base, "content", type, "schema"])}`;
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  const validate = validators.get(ref);
  let body;
  try {
    body = JSON.parse(record.body);
  } catch {
    fail(record, "the body is not JSON");
    continue;
  }
  if (!validate(body)) fail(record, ajv.errorsText(validate.errors));
}
console.log(`openapi contract: ${checked - failed} passed, ${failed} failed`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
