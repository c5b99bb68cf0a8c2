// Evaluates FHIRPath expressions with fhirpath.js (an engine independent of kwg_check).
// stdin: {"resource": {...}, "questionnaire": {...} | null,
//         "expressions": [{"expression": "...", "base": "QuestionnaireResponse" | null,
//                          "resource": {...} | absent (then the top-level resource),
//                          "questionnaire": N | absent (then the top-level questionnaire)}],
//         "questionnaires": [{...}, ...] | absent}
// stdout: one entry per expression: {"value": [...]} or {"error": "message"}.
"use strict";
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", () => {
  const input = JSON.parse(text);
  const results = input.expressions.map(({ expression, base, resource, questionnaire }) => {
    const subject = resource || input.resource;
    const env = { resource: subject, rootResource: subject };
    const form = questionnaire === undefined ? input.questionnaire : input.questionnaires[questionnaire];
    if (form) env.questionnaire = form;
    try {
      const path = base ? { base, expression } : expression;
      const value = fhirpath.evaluate(subject, path, env, r4, { async: false });
      return { value: JSON.parse(JSON.stringify(value)) };
    } catch (error) {
      return { error: String(error && error.message ? error.message : error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
