// Đánh giá mức độ hài lòng: gửi biểu mẫu bằng fetch (POST /danh-gia, dạng form) và báo kết quả
// trong #ket-qua-danh-gia (role=status) mà không rời trang.
(function () {
  'use strict';
  function show(out, cls, text) {
    out.className = cls;
    out.textContent = text;
  }
  function init() {
    var form = document.querySelector('form.danh-gia');
    var out = document.getElementById('ket-qua-danh-gia');
    if (!form || !out) {
      return;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      show(out, '', 'Đang gửi đánh giá…');
      fetch(form.getAttribute('action'), {
        method: 'POST',
        body: new URLSearchParams(new FormData(form))
      }).then(function (r) {
        if (r.ok) {
          show(out, 'cam-on', 'Cảm ơn bạn đã đánh giá!');
        } else if (r.status === 422) {
          show(out, 'loi', 'Vui lòng chọn mức độ hài lòng');
        } else {
          throw new Error('HTTP ' + r.status);
        }
      }).catch(function () {
        show(out, 'loi', 'Không gửi được đánh giá. Vui lòng thử lại sau.');
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
