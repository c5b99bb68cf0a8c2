// Validate JSON documents against a kwg_check schema with ajv (JSON Schema Draft 2020-12).
//
//   node integrations/ajv/validate.mjs SCHEMA FILE...
//
// Prints FILE:POINTER: CODE: reason for every problem (never the document's contents) and
// exits 0 when every file is valid, 1 when any is invalid or unreadable, 2 on usage errors.
// Needs only the npm package "ajv" (8.x); the kwg_check schemas use no "format" keywords.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error("usage: node validate.mjs SCHEMA FILE...");
  process.exit(2);
}

let validate;
try {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
} catch (error) {
  console.error(`${schemaPath}: not a usable schema: ${error.message}`);
  process.exit(2);
}

let invalid = 0;
for (const file of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    console.log(`${file}:: ajv.unreadable: not a readable JSON file`);
    invalid += 1;
    continue;
  }
  if (!validate(data)) {
    invalid += 1;
    for (const error of validate.errors) {
      console.log(`${file}:${error.instancePath}: ajv.${error.keyword}: ${error.message}`);
    }
  }
}
console.error(`${files.length} file(s) checked, ${invalid} invalid`);
process.exit(invalid ? 1 : 0);
