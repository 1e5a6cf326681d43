// Runs MDN HTTP Observatory 1.4.8's scan on HOST with the given plain-HTTP and HTTPS ports and
// prints its score, grade and tests as JSON. Usage: node observatory.mjs DIR HOST HTTP HTTPS
// (DIR holds node_modules/@mdn/mdn-http-observatory, patched to pass the ports on).
const [, , dir, host, httpPort, httpsPort] = process.argv;
const { scan } = await import(
  `${dir}/node_modules/@mdn/mdn-http-observatory/src/scanner/index.js`
);
try {
  const r = await scan(host, { httpPort, httpsPort });
  const tests = Object.fromEntries(
    Object.entries(r.tests).map(([k, t]) => [
      k,
      { result: t.result, pass: t.pass, scoreModifier: t.scoreModifier },
    ])
  );
  console.log(JSON.stringify({ score: r.scan.score, grade: r.scan.grade, tests }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
}
