"""Writes the script-heavy fixture's app.js (~300 KB): a catalogue as data, then work on load
(a sieve, sorting and grouping) and a DOM built from the result. Deterministic."""
import random
import sys

rng = random.Random(21)
agencies = ["Sở Tư pháp", "Sở Xây dựng", "Sở Kế hoạch và Đầu tư", "Sở Y tế", "Sở Giáo dục",
            "Công an tỉnh", "Sở Tài nguyên và Môi trường", "Sở Giao thông vận tải"]
verbs = ["Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Thu hồi", "Đăng ký", "Xác nhận"]
objects = ["giấy phép xây dựng", "giấy chứng nhận", "hộ tịch", "giấy phép lái xe",
           "đăng ký kinh doanh", "chứng chỉ hành nghề", "giấy phép môi trường"]
rows = []
for i in range(3200):
    rows.append('[%d,"%s %s (mã %d)","%s",%d,%d]' % (
        i, rng.choice(verbs), rng.choice(objects), 1000 + i, rng.choice(agencies),
        rng.randint(1, 30), rng.randint(0, 500000)))
out = sys.stdout if len(sys.argv) < 2 else open(sys.argv[1], "w", encoding="utf-8")
out.write("const CATALOGUE = [\n" + ",\n".join(rows) + "\n];\n")
out.write(r"""
function sieve(n) {
  const marks = new Uint8Array(n + 1); const primes = [];
  for (let i = 2; i <= n; i++) { if (!marks[i]) { primes.push(i); for (let j = i * i; j <= n; j += i) marks[j] = 1; } }
  return primes;
}
function checksum(rows) {
  let h = 2166136261;
  for (const r of rows) for (let k = 0; k < r[1].length; k++) { h ^= r[1].charCodeAt(k); h = Math.imul(h, 16777619); }
  return h >>> 0;
}
(function build() {
  const primes = sieve(400000);
  const byAgency = new Map();
  for (const r of CATALOGUE) {
    const list = byAgency.get(r[2]) || []; list.push(r); byAgency.set(r[2], list);
  }
  const sorted = CATALOGUE.slice().sort((a, b) => a[3] - b[3] || a[1].localeCompare(b[1], 'vi'));
  const sum = checksum(sorted);
  const app = document.getElementById('app');
  const summary = document.createElement('p');
  summary.id = 'summary';
  summary.textContent = 'Tổng cộng ' + CATALOGUE.length + ' thủ tục của ' + byAgency.size +
    ' cơ quan; mã kiểm tra ' + sum + ' (' + primes.length + ' số nguyên tố).';
  app.appendChild(summary);
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>Mã</th><th>Thủ tục</th><th>Cơ quan</th><th>Ngày</th></tr></thead>';
  const body = document.createElement('tbody');
  for (const r of sorted.slice(0, 400)) {
    const tr = document.createElement('tr');
    for (const v of [1000 + r[0], r[1], r[2], r[3]]) { const td = document.createElement('td'); td.textContent = v; tr.appendChild(td); }
    body.appendChild(tr);
  }
  table.appendChild(body);
  app.appendChild(table);
  document.getElementById('status').textContent = 'Đã tải danh mục.';
})();
""")
