// Trợ lý ảo: câu hỏi gửi tới /tro-ly-ao/hoi (JSON {"tra-loi": …}); câu hỏi và câu trả lời được
// thêm vào .chat-log (aria-live) khi có trả lời. Không có trả lời thì không thêm gì.
(function () {
  'use strict';
  function add(log, cls, text) {
    var p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    log.appendChild(p);
  }
  function init() {
    var form = document.querySelector('form.chat-form');
    var log = document.querySelector('.chat-log');
    var input = document.getElementById('cau-hoi');
    if (!form || !log || !input) {
      return;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var question = input.value.trim();
      if (question === '') {
        return;
      }
      fetch('/tro-ly-ao/hoi?cau-hoi=' + encodeURIComponent(question), {
        headers: { 'Accept': 'application/json' }
      }).then(function (r) {
        return r.status === 200 ? r.json() : null;
      }).then(function (d) {
        if (!d || typeof d['tra-loi'] !== 'string') {
          return;
        }
        add(log, 'nguoi-dung', question);
        add(log, 'bot', d['tra-loi']);
        input.value = '';
      }).catch(function () {});
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
