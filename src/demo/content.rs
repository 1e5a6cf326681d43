//! The reference portal's content: a fictional province ("tỉnh Mẫu") with a catalogue of
//! procedures, written as plain HTML with header, main and footer on every page.

/// Agency that owns the portal (PL3-4 looks for it in the header).
pub const ORGANISATION: &str = "Ủy ban nhân dân tỉnh Mẫu";
/// Portal name.
pub const PORTAL: &str = "Cổng Dịch vụ công tỉnh Mẫu";
/// EMC site id.
pub const SITE_ID: &str = "1021";
/// `leaky-tokens`: the bearer token the home page's link carries in its query
/// (`/ho-so-ca-nhan?access_token=…`); the profile page answers only to it.
pub const LEAKY_TOKEN: &str = "kd-tok-5e1f9a77c3b2";
/// `leaky-tokens`: the test account the link names (a scenario's `[accounts]` credential).
pub const LEAKY_ACCOUNT: &str = "cong-dan-thu-7731";

/// A procedure in the catalogue.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// National procedure code.
    pub code: String,
    /// Name.
    pub name: &'static str,
    /// Field (lĩnh vực).
    pub field: &'static str,
    /// Field slug.
    pub field_slug: &'static str,
    /// Full-online or partly-online.
    pub full_online: bool,
    /// Processing agency.
    pub agency: &'static str,
    /// Agency slug (the search filter's value).
    pub agency_slug: String,
    /// Working days.
    pub days: u32,
    /// Fee, in đồng (0 = none).
    pub fee: u32,
}

const FIELDS: &[(&str, &str, &str, &[&str])] = &[
    (
        "Đất đai",
        "dat-dai",
        "Sở Tài nguyên và Môi trường",
        &[
            "Đăng ký biến động quyền sử dụng đất",
            "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            "Đăng ký thế chấp quyền sử dụng đất",
            "Xóa đăng ký thế chấp",
            "Cung cấp thông tin đất đai",
        ],
    ),
    (
        "Xây dựng",
        "xay-dung",
        "Sở Xây dựng",
        &[
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "Điều chỉnh giấy phép xây dựng",
            "Gia hạn giấy phép xây dựng",
            "Cấp chứng chỉ hành nghề hoạt động xây dựng",
        ],
    ),
    (
        "Hộ tịch",
        "ho-tich",
        "Ủy ban nhân dân cấp xã",
        &[
            "Đăng ký khai sinh",
            "Đăng ký kết hôn",
            "Đăng ký khai tử",
            "Cấp bản sao trích lục hộ tịch",
            "Xác nhận tình trạng hôn nhân",
        ],
    ),
    (
        "Tư pháp",
        "tu-phap",
        "Sở Tư pháp",
        &[
            "Cấp Phiếu lý lịch tư pháp",
            "Chứng thực bản sao từ bản chính",
            "Đăng ký hành nghề luật sư",
            "Cấp thẻ công chứng viên",
        ],
    ),
    (
        "Giáo dục và Đào tạo",
        "giao-duc",
        "Sở Giáo dục và Đào tạo",
        &[
            "Cấp bản sao văn bằng, chứng chỉ",
            "Chỉnh sửa nội dung văn bằng",
            "Công nhận trường đạt chuẩn quốc gia",
            "Cho phép trung tâm ngoại ngữ hoạt động",
        ],
    ),
    (
        "Y tế",
        "y-te",
        "Sở Y tế",
        &[
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "Cấp giấy phép hoạt động phòng khám",
            "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "Công bố cơ sở đủ điều kiện sản xuất trang thiết bị y tế",
        ],
    ),
    (
        "Lao động, Thương binh và Xã hội",
        "lao-dong",
        "Sở Lao động - Thương binh và Xã hội",
        &[
            "Cấp giấy phép lao động cho người nước ngoài",
            "Giải quyết trợ cấp thất nghiệp",
            "Hỗ trợ chi phí mai táng",
            "Đăng ký nội quy lao động",
        ],
    ),
    (
        "Giao thông vận tải",
        "giao-thong",
        "Sở Giao thông vận tải",
        &[
            "Đổi giấy phép lái xe",
            "Cấp phù hiệu xe kinh doanh vận tải",
            "Cấp giấy phép kinh doanh vận tải bằng xe ô tô",
            "Cấp lại giấy phép lái xe",
        ],
    ),
    (
        "Kế hoạch và Đầu tư",
        "dau-tu",
        "Sở Kế hoạch và Đầu tư",
        &[
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thành lập hộ kinh doanh",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
            "Cấp Giấy chứng nhận đăng ký đầu tư",
        ],
    ),
    (
        "Văn hóa, Thể thao và Du lịch",
        "van-hoa",
        "Sở Văn hóa, Thể thao và Du lịch",
        &[
            "Cấp giấy phép tổ chức biểu diễn nghệ thuật",
            "Công nhận điểm du lịch",
            "Cấp thẻ hướng dẫn viên du lịch",
            "Cấp giấy phép kinh doanh karaoke",
        ],
    ),
];

/// The catalogue (42 procedures).
pub fn procedures() -> Vec<Procedure> {
    let mut out = Vec::new();
    for (fi, (field, slug, agency, names)) in FIELDS.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            let n = out.len();
            out.push(Procedure {
                code: format!("1.00{}{:02}", fi + 1, i + 1),
                name,
                field,
                field_slug: slug,
                full_online: n % 3 != 2,
                agency,
                agency_slug: ascii_slug(agency),
                days: 3 + (n as u32 * 7) % 20,
                fee: if n % 4 == 0 {
                    0
                } else {
                    50_000 * (1 + n as u32 % 5)
                },
            });
        }
    }
    out
}

/// The DVCQG shared-catalogue export matching [`procedures`] (what the demo scenario ships
/// as `scenarios/demo-evidence/dvcqg-catalogue.csv`).
pub fn catalogue_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["code", "name", "level", "field", "agency"]);
    for p in procedures() {
        let level = if p.full_online {
            "Toàn trình"
        } else {
            "Một phần"
        };
        let _ = w.write_record([p.code.as_str(), p.name, level, p.field, p.agency]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Where the demo's complaints page sends people: the national complaints system on DVCQG.
pub const DVCQG_COMPLAINTS: &str =
    "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-phan-anh.html";

/// The fields (lĩnh vực): (name, slug).
pub fn fields() -> Vec<(&'static str, &'static str)> {
    FIELDS.iter().map(|(n, s, _, _)| (*n, *s)).collect()
}

/// The processing agencies: (name, slug), in catalogue order.
pub fn agencies() -> Vec<(&'static str, String)> {
    FIELDS
        .iter()
        .map(|(_, _, a, _)| (*a, ascii_slug(a)))
        .collect()
}

/// An ASCII slug of a Vietnamese name: `Sở Xây dựng` → `so-xay-dung`.
pub fn ascii_slug(name: &str) -> String {
    let folded = crate::unicode::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The national emblem, drawn (no external image).
pub const EMBLEM_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#c8102e"/><polygon fill="#ffcd00" points="32,10 37,26 54,26 40,36 45,52 32,42 19,52 24,36 10,26 27,26"/></svg>"##;

/// The national emblem as a 64×64 PNG (the Liferay and div-table themes' `<img>`).
pub const EMBLEM_PNG: &[u8] = include_bytes!("quoc-huy.png");

/// The home page's hero image: a pale 960 × 540 JPEG (≈20 KB) of a skyline, mostly
/// near-white so that it barely moves Speed Index when `slow-lcp` holds it, with enough
/// grain that Chromium counts it for LCP (well above 0.05 bits per displayed pixel). Drawn
/// once by a throwaway program: paper at 253 ± 2 per channel (xorshift grain), a skyline of
/// 80 px buildings in RGB (232, 236, 242) with paler windows along the bottom, a pale sun
/// (250, 236, 228) of radius 90 at (760, 150); `jpeg-encoder` quality 80. About a quarter of
/// its pixels are not near-white (what Speed Index counts).
pub const HERO_JPEG: &[u8] = include_bytes!("assets/hero.jpg");
/// Where the hero image is served.
pub const HERO_PATH: &str = "/static/trang-chu.jpg";
/// The hero image's width, px.
pub const HERO_WIDTH: u32 = 960;
/// The hero image's height, px.
pub const HERO_HEIGHT: u32 = 540;

/// Site stylesheet (every theme): menus wrap, images and form fields shrink, form fields stack
/// under their labels with their help and messages, tables scroll
/// in their own container, long words break, layout tables stack below 640 px, so no page
/// scrolls sideways at 360 px.
pub const CSS: &str = "body{font-family:'Noto Sans',Arial,sans-serif;margin:0;color:#1d2939;overflow-wrap:anywhere}\
img{max-width:100%;height:auto}input,select,textarea,button{max-width:100%;box-sizing:border-box}\
.cuon-ngang{overflow-x:auto;max-width:100%}.anh-bia{margin:16px 0}\
.thong-bao-moi{min-height:max(75vh,60vw);box-sizing:border-box;padding:24px;background:#fff4e5;color:#7a2e0e}\
.truong{margin:12px 0}.truong label{display:block;font-weight:600}.truong input[type=checkbox]+label{display:inline}\
.truong small{display:block;color:#475467}.thong-bao-loi,.loi{color:#b42318;font-weight:600}.cam-on,.da-tai{color:#067647}.chat-log .nguoi-dung{text-align:right;font-weight:600}\
@media (max-width:640px){table.layout td,table.banner td{display:block;width:auto}}\
header{background:#b3001b;color:#fff;padding:12px 24px}header img{width:48px;height:48px;vertical-align:middle}\
header .org{font-weight:700;font-size:18px}nav a{color:#fff;margin-right:16px}nav a.active{text-decoration:underline}\
main{padding:24px;max-width:960px}footer{background:#f2f4f7;padding:16px 24px;font-size:13px}\
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}dt{font-weight:700;margin-top:8px}\
#banner,.top-header{background:#b3001b;color:#fff;padding:8px 24px}#banner a,.top-header a{color:#fff}\
#navigation ul,.menu-bar ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}.nav .active a,.menu-bar .current a{text-decoration:underline}\
#content,.main-content{padding:24px}#footer,.footer{background:#f2f4f7;padding:16px 24px;font-size:13px}\
.chu-mo{color:#b4b4b4}";

/// The mock EMC tracker script: queues a page view and sends it to the configured tracker.
pub const TRACKER_JS: &str = "(function(){var q=window._govaq||[];var url=null,site=null;\
for(var i=0;i<q.length;i++){if(q[i][0]==='setTrackerUrl')url=q[i][1];if(q[i][0]==='setSiteId')site=q[i][1];}\
if(url&&site&&navigator.sendBeacon){navigator.sendBeacon(url+'?idsite='+encodeURIComponent(site)+'&url='+encodeURIComponent(location.href));}})();";
