// Tờ khai nộp hồ sơ: kiểm tra trước khi gửi (họ tên không trống, số định danh đúng 12 chữ số).
// Trường sai được đánh dấu aria-invalid và có thông báo lỗi (role=alert) ngay sau phần hướng dẫn,
// giống hệt thông báo máy chủ trả về khi tự kiểm tra lại.
(function () {
  'use strict';
  var RULES = [
    {
      id: 'ho-ten',
      ok: function (v) { return v.trim() !== ''; },
      message: 'Vui lòng nhập họ và tên'
    },
    {
      id: 'so-dinh-danh',
      ok: function (v) { return /^[0-9]{12}$/.test(v.trim()); },
      message: 'Số định danh cá nhân phải gồm đúng 12 chữ số'
    }
  ];
  function describedBy(input, without) {
    return (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) {
      return x !== '' && x !== without;
    });
  }
  function clear(input) {
    var id = input.id + '-loi';
    var old = document.getElementById(id);
    if (old) {
      old.parentNode.removeChild(old);
    }
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', describedBy(input, id).join(' '));
  }
  function mark(input, message) {
    var p = document.createElement('p');
    p.id = input.id + '-loi';
    p.className = 'thong-bao-loi';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    var after = document.getElementById(input.id + '-huong-dan') || input;
    after.parentNode.insertBefore(p, after.nextSibling);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', describedBy(input, p.id).concat([p.id]).join(' '));
  }
  function init() {
    var form = document.getElementById('to-khai');
    if (!form) {
      return;
    }
    form.addEventListener('submit', function (e) {
      var first = null;
      RULES.forEach(function (rule) {
        var input = document.getElementById(rule.id);
        if (!input) {
          return;
        }
        clear(input);
        if (!rule.ok(input.value)) {
          mark(input, rule.message);
          first = first || input;
        }
      });
      if (first) {
        e.preventDefault();
        first.focus();
      }
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
