// Evaluates FHIRPath expressions with fhirpath.js (an engine independent of kwg_check).
// stdin: {"resource": {...}, "questionnaire": {...} | null,
//         "expressions": [{"expression": "...", "base": "QuestionnaireResponse" | null}]}
// stdout: one entry per expression: {"value": [...]} or {"error": "message"}.
"use strict";
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", () => {
  const input = JSON.parse(text);
  const env = { resource: input.resource, rootResource: input.resource };
  if (input.questionnaire) env.questionnaire = input.questionnaire;
  const results = input.expressions.map(({ expression, base }) => {
    try {
      const path = base ? { base, expression } : expression;
      const value = fhirpath.evaluate(input.resource, path, env, r4, { async: false });
      return { value: JSON.parse(JSON.stringify(value)) };
    } catch (error) {
      return { error: String(error && error.message ? error.message : error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
