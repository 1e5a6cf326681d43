// Bước thanh toán và ký số: nút "Ký số hồ sơ" báo đang kết nối Cổng ký số (mô phỏng, không ký gì).
(function () {
  'use strict';
  function init() {
    var button = document.querySelector('button.ky-so');
    var status = document.getElementById('ky-so-trang-thai');
    if (!button || !status) {
      return;
    }
    button.addEventListener('click', function () {
      status.textContent = 'Đang kết nối Cổng ký số eSign (mô phỏng)… Mã hồ sơ: ' +
        button.getAttribute('data-esign');
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
