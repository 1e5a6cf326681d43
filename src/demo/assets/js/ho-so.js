// Tờ khai nộp hồ sơ: giấy tờ kèm theo được tải lên ngay khi chọn tệp (POST /nop-ho-so/tai-len,
// thân là nội dung tệp, tên tệp mã hóa URL trong tiêu đề X-Ten-Tep); kết quả hiện trong #tep-da-tai.
(function () {
  'use strict';
  var WHY = {
    413: ': tệp lớn hơn 10 MB',
    415: ': chỉ nhận tệp PDF, JPG hoặc PNG'
  };
  function init() {
    var input = document.getElementById('giay-to');
    var status = document.getElementById('tep-da-tai');
    if (!input || !status) {
      return;
    }
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) {
        return;
      }
      status.className = '';
      status.textContent = 'Đang gửi tệp ' + file.name + '…';
      fetch('/nop-ho-so/tai-len', {
        method: 'POST',
        headers: {
          'X-Ten-Tep': encodeURIComponent(file.name),
          'Content-Type': file.type || 'application/octet-stream'
        },
        body: file
      }).then(function (r) {
        if (!r.ok) {
          throw new Error(WHY[r.status] || '');
        }
        return r.json();
      }).then(function (d) {
        status.className = 'da-tai';
        status.textContent = 'Đã tải lên: ' + d['ten-tep'] + ' (' + d['kich-thuoc'] + ' byte)';
      }).catch(function (e) {
        status.className = 'loi';
        status.textContent = 'Tải tệp lên không thành công' + (e && e.message ? e.message : '');
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
