"""Demo feedback (PAKN): two years of hotline calls, portal messages and answers in Đồng Tháp.

`build_feedback(seed=, count=, today=)` creates the category tree with routing rules and
service norms, a small library of standard answers, and `count` items received between
2025-01-02 and the day before `today` (local dates; default the day it runs), standing at
16:00 of `today` like the demo dossiers, consistent with what the services would have written:

- about 55% hotline questions answered on the spot (received → answered → closed within
  the call), counted apart from PAKN; the rest PAKN with the full lifecycle, mostly from the
  hotline, then the portal, Zalo, e-mail, the national portal, the desk and letters;
- PAKN: most resolved (answer approved), a share late against the 15 working days of the
  766 index and more late against the category norm; most answers about regulations and
  conduct published (a few marked "do not publish"), then closed after the rating window;
  some forwarded out of the province (a ministry, another province, a vertical agency) or to
  another unit of the province (a linked new item), some redirected to the complaint and
  denunciation procedure, a few refused; a share asked for a supplement (a clock pause);
  some repeats of answered items by dissatisfied senders; recent items still open;
- published answers carry public titles and texts without personal data, likes/dislikes
  (one `FeedbackVote` per vote) and some closing surveys.

Every due instant comes from `motcua.feedback.clock.feedback_deadlines` on the handling
unit's calendar, codes are `PA-DT-<yyMMdd>-<NNNN>` by local day of receipt, the daily
counters are raised so that live receipts continue after them, and each item has timeline
entries for its receipt and each later move. Re-running with the same seed and count adds
nothing. Names and phone numbers are fictitious, deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.demo.dossiers import (
    FIRST_DAY,
    REFORM_DAY,
    _between,
    _person,
    _random_working_instant,
    demo_instant,
)
from motcua.dossiers.importers import BulkInsert
from motcua.feedback.choices import Channel, Competence, FeedbackState, Kind, Subject
from motcua.feedback.clock import feedback_deadlines
from motcua.feedback.jobs import rating_window
from motcua.feedback.models import (
    Category,
    Feedback,
    FeedbackCodeCounter,
    FeedbackEntry,
    FeedbackPause,
    FeedbackSurvey,
    FeedbackVote,
    RoutingRule,
    StandardAnswer,
)
from motcua.lib.vntext import fold, nfc
from motcua.people.choices import Role
from motcua.people.models import Membership, User
from motcua.units.choices import UnitLevel
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, WorkCalendar
from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.selectors import get_calendar

SOURCE = "demo"
PROVINCE = "DT"
CODE_PREFIX = f"PA-{PROVINCE}"
CENTRE = "DT.HCC"  # runs the 1022 hotline and the portal's feedback desk
HOTLINE_OFFICER = "motcua.tinh"
DAY_MINUTES = 8 * 60
# Units of the demo logins get a bigger share so that their queues have work.
FAVOURITE_COMMUNES = ("29869", "30178")
QUESTION_SHARE = 0.55  # hotline questions answered on the spot (feedback.md §9)
REPEAT_SHARE = 0.04
SUPPLEMENT_SHARE = 0.1
DO_NOT_PUBLISH_SHARE = 0.06
SURVEY_SHARE = 0.35
SENDER_KEYS = ("sender_name", "sender_phone", "sender_email", "sender_id_number")


@dataclass(frozen=True)
class CategorySpec:
    """One node of the demo category tree and where its items go."""

    code: str
    name: str
    parent: str = ""
    subject: str = Subject.OTHER
    norm_days: int | None = None
    # Department key before / after 2025-07-01 (tree.py codes: DT.<key>); "" = the centre.
    before: str = ""
    after: str = ""
    # The commune where the matter is located handles it when an area is given.
    by_area: bool = False
    weight: float = 0.0


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("tthc", "Thủ tục hành chính", subject=Subject.REGULATION, norm_days=10,
                 before="VP", after="VP"),
    CategorySpec("tthc-ho-tich", "Hộ tịch, chứng thực", "tthc", Subject.REGULATION, 5,
                 "STP", "STP", by_area=True, weight=9),
    CategorySpec("tthc-dat-dai", "Đất đai", "tthc", Subject.REGULATION, 10,
                 "STNMT", "SNNMT", by_area=True, weight=10),
    CategorySpec("tthc-xay-dung", "Cấp giấy phép xây dựng", "tthc", Subject.REGULATION, 10,
                 "SXD", "SXD", weight=5),
    CategorySpec("tthc-kinh-doanh", "Đăng ký kinh doanh, đầu tư", "tthc", Subject.REGULATION, 7,
                 "SKHDT", "STC", weight=4),
    CategorySpec("tthc-lao-dong", "Lao động, người có công, bảo trợ xã hội", "tthc",
                 Subject.REGULATION, 7, "SLDTBXH", "SNV", by_area=True, weight=6),
    CategorySpec("tthc-giao-thong", "Giấy phép lái xe, phương tiện giao thông", "tthc",
                 Subject.REGULATION, 5, "SGTVT", "SXD", weight=5),
    CategorySpec("tthc-y-te-giao-duc", "Y tế, giáo dục", "tthc", Subject.REGULATION, 7,
                 "SYT", "SYT", weight=3),
    CategorySpec("tthc-truc-tuyen", "Dịch vụ công trực tuyến, thanh toán phí, lệ phí", "tthc",
                 Subject.REGULATION, 3, "", "", weight=6),
    CategorySpec("hanh-vi", "Hành vi, thái độ của cán bộ, công chức", subject=Subject.CONDUCT,
                 norm_days=10, before="SNV", after="SNV"),
    CategorySpec("hanh-vi-tre-hen", "Chậm trễ, trễ hẹn trả kết quả", "hanh-vi", Subject.CONDUCT,
                 10, "SNV", "SNV", by_area=True, weight=6),
    CategorySpec("hanh-vi-giay-to", "Yêu cầu thêm giấy tờ không đúng quy định", "hanh-vi",
                 Subject.CONDUCT, 10, "SNV", "SNV", by_area=True, weight=3),
    CategorySpec("hanh-vi-thai-do", "Thái độ, tác phong phục vụ", "hanh-vi", Subject.CONDUCT, 10,
                 "SNV", "SNV", by_area=True, weight=3),
    CategorySpec("ha-tang", "Hạ tầng, đô thị", subject=Subject.OTHER, norm_days=7,
                 before="SXD", after="SXD"),
    CategorySpec("ha-tang-duong-sa", "Đường sá, cầu cống, thoát nước", "ha-tang", Subject.OTHER,
                 7, "SGTVT", "SXD", by_area=True, weight=8),
    CategorySpec("ha-tang-chieu-sang", "Chiếu sáng, cây xanh công cộng", "ha-tang", Subject.OTHER,
                 5, "SXD", "SXD", by_area=True, weight=4),
    CategorySpec("ha-tang-trat-tu", "Trật tự đô thị, lấn chiếm lòng lề đường", "ha-tang",
                 Subject.OTHER, 5, "SXD", "SXD", by_area=True, weight=4),
    CategorySpec("moi-truong", "Môi trường", subject=Subject.OTHER, norm_days=7,
                 before="STNMT", after="SNNMT"),
    CategorySpec("moi-truong-rac", "Rác thải, vệ sinh môi trường", "moi-truong", Subject.OTHER, 5,
                 "STNMT", "SNNMT", by_area=True, weight=6),
    CategorySpec("moi-truong-o-nhiem", "Ô nhiễm nước, không khí, tiếng ồn", "moi-truong",
                 Subject.OTHER, 7, "STNMT", "SNNMT", by_area=True, weight=4),
    CategorySpec("khac", "Khác", subject=Subject.OTHER, before="VP", after="VP", weight=4),
)  # fmt: skip
LEAVES = tuple(c for c in CATEGORIES if c.weight)
BY_CODE = {c.code: c for c in CATEGORIES}


@dataclass(frozen=True)
class Topic:
    """A matter people raise: the sender's words, the public title and the public answer."""

    category: str
    title: str
    content: str
    public_title: str
    answer: str


# {place} = "xã/phường <name>" of the area, or "tỉnh Đồng Tháp".
TOPICS: tuple[Topic, ...] = (
    Topic("tthc-ho-tich", "Trễ hẹn cấp bản sao trích lục khai sinh",
          "Tôi nộp hồ sơ xin cấp bản sao trích lục khai sinh tại {place}, đã quá ngày hẹn nhưng "
          "chưa nhận được kết quả, cũng không được thông báo lý do.",
          "Hồ sơ cấp bản sao trích lục khai sinh bị trễ hẹn tại {place}",
          "Qua kiểm tra, hồ sơ bị chậm do dữ liệu hộ tịch cũ chưa được số hóa. Ủy ban nhân dân "
          "đã hoàn thiện dữ liệu, trả kết quả cho công dân và có văn bản xin lỗi. Thời gian "
          "cấp bản sao trích lục là trong ngày làm việc khi dữ liệu đã có trên hệ thống."),
    Topic("tthc-ho-tich", "Hỏi về giấy tờ đăng ký kết hôn",
          "Khi đăng ký kết hôn ở {place} có cần nộp giấy xác nhận tình trạng hôn nhân không, "
          "vì cán bộ yêu cầu nhưng tôi đã đăng ký thường trú tại đây.",
          "Giấy xác nhận tình trạng hôn nhân khi đăng ký kết hôn tại nơi thường trú",
          "Khi đăng ký kết hôn tại Ủy ban nhân dân cấp xã nơi thường trú, công dân không phải "
          "nộp giấy xác nhận tình trạng hôn nhân; cán bộ tư pháp – hộ tịch tự kiểm tra trên Cơ "
          "sở dữ liệu hộ tịch điện tử. Đơn vị đã nhắc nhở cán bộ thực hiện đúng quy định."),
    Topic("tthc-dat-dai", "Chậm cấp giấy chứng nhận quyền sử dụng đất",
          "Gia đình tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất lần đầu tại {place} "
          "đã hơn hai tháng, hỏi nhiều lần chỉ được trả lời đang xử lý.",
          "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất lần đầu chậm giải quyết",
          "Hồ sơ phải chờ kết quả đo đạc, xác minh nguồn gốc đất và lấy ý kiến khu dân cư nên "
          "kéo dài. Văn phòng đăng ký đất đai đã rà soát, giải quyết xong và thông báo cho "
          "người sử dụng đất; các bước xác minh từ nay được báo trước thời gian dự kiến."),
    Topic("tthc-dat-dai", "Đề nghị hướng dẫn tách thửa đất nông nghiệp",
          "Tôi muốn tách thửa đất trồng lúa để chia cho các con ở {place} nhưng không rõ diện "
          "tích tối thiểu và hồ sơ gồm những gì.",
          "Diện tích tối thiểu và hồ sơ tách thửa đất nông nghiệp",
          "Diện tích tối thiểu được tách thửa thực hiện theo quyết định của Ủy ban nhân dân "
          "tỉnh. Hồ sơ gồm đơn đề nghị tách thửa, giấy chứng nhận đã cấp và bản vẽ tách thửa; "
          "nộp tại Trung tâm Phục vụ hành chính công hoặc trực tuyến trên Cổng Dịch vụ công."),
    Topic("tthc-xay-dung", "Thời hạn cấp giấy phép xây dựng nhà ở",
          "Tôi nộp hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ, được hẹn 15 ngày nhưng sau đó "
          "bị yêu cầu bổ sung nhiều lần, mỗi lần một giấy tờ khác nhau.",
          "Hồ sơ cấp giấy phép xây dựng bị yêu cầu bổ sung nhiều lần",
          "Theo quy định, cơ quan cấp phép chỉ yêu cầu bổ sung hồ sơ một lần, nêu đầy đủ các nội "
          "dung cần bổ sung. Sở Xây dựng đã chấn chỉnh bộ phận thụ lý, giải quyết hồ sơ trong "
          "thời hạn và công khai danh mục thành phần hồ sơ cấp phép xây dựng."),
    Topic("tthc-kinh-doanh", "Vướng mắc đăng ký hộ kinh doanh trực tuyến",
          "Tôi đăng ký hộ kinh doanh qua mạng nhưng hệ thống báo lỗi khi tải tệp, đã nộp lại "
          "ba lần không được.",
          "Lỗi tải tệp khi đăng ký hộ kinh doanh trực tuyến",
          "Lỗi do tệp vượt dung lượng cho phép. Hệ thống đã được điều chỉnh để báo rõ giới hạn "
          "dung lượng; hồ sơ của người dân đã được tiếp nhận và giải quyết đúng hạn."),
    Topic("tthc-lao-dong", "Chưa nhận trợ cấp xã hội hằng tháng",
          "Mẹ tôi đã được duyệt hưởng trợ cấp xã hội hằng tháng từ tháng trước nhưng đến nay "
          "chưa nhận được tiền tại {place}.",
          "Chậm chi trả trợ cấp xã hội hằng tháng tại {place}",
          "Việc chậm chi trả do danh sách điều chỉnh chưa được chuyển kịp cho đơn vị chi trả. "
          "Khoản trợ cấp đã được chi trả đủ, kể cả tiền truy lĩnh; danh sách hằng tháng từ nay "
          "được đối chiếu trước ngày 20."),
    Topic("tthc-giao-thong", "Đổi giấy phép lái xe quá hạn",
          "Giấy phép lái xe hạng B2 của tôi đã quá hạn 4 tháng, xin hỏi có phải thi lại không "
          "và nộp hồ sơ đổi ở đâu.",
          "Đổi giấy phép lái xe đã quá hạn dưới 01 năm",
          "Giấy phép lái xe quá hạn dưới 01 năm được đổi không phải sát hạch lại. Người dân nộp "
          "hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia hoặc tại Trung tâm Phục vụ hành "
          "chính công tỉnh; thời hạn giải quyết là 05 ngày làm việc."),
    Topic("tthc-y-te-giao-duc", "Thủ tục chuyển trường cho học sinh",
          "Gia đình chuyển chỗ ở, tôi cần chuyển trường cho con đang học lớp 7 nhưng trường cũ "
          "yêu cầu nhiều giấy tờ xác nhận.",
          "Hồ sơ chuyển trường đối với học sinh trung học cơ sở",
          "Hồ sơ chuyển trường gồm đơn đề nghị, học bạ và giấy giới thiệu của trường nơi đi; "
          "không yêu cầu xác nhận nơi cư trú khi thông tin đã có trong Cơ sở dữ liệu quốc gia "
          "về dân cư. Sở Giáo dục và Đào tạo đã hướng dẫn các trường thực hiện thống nhất."),
    Topic("tthc-truc-tuyen", "Đã thanh toán lệ phí trực tuyến nhưng hồ sơ báo chưa nộp",
          "Tôi thanh toán lệ phí qua Cổng Dịch vụ công, tài khoản đã bị trừ tiền nhưng hồ sơ "
          "vẫn ở trạng thái chưa thanh toán.",
          "Hồ sơ chưa cập nhật trạng thái sau khi thanh toán lệ phí trực tuyến",
          "Giao dịch bị chậm đối soát giữa ngân hàng và hệ thống thanh toán. Trạng thái hồ sơ đã "
          "được cập nhật, hồ sơ được giải quyết đúng hạn. Trường hợp tương tự, người dân liên hệ "
          "Tổng đài 1022 để được kiểm tra giao dịch."),
    Topic("hanh-vi-tre-hen", "Trễ hẹn trả kết quả nhưng không có văn bản xin lỗi",
          "Hồ sơ của tôi tại bộ phận một cửa {place} đã trễ hẹn một tuần, không ai thông báo "
          "hay xin lỗi, tôi phải đi lại nhiều lần.",
          "Trễ hẹn trả kết quả, không thông báo cho người nộp tại {place}",
          "Ủy ban nhân dân đã kiểm điểm công chức liên quan, gửi văn bản xin lỗi và hẹn lại "
          "thời gian trả kết quả; hồ sơ đã được trả. Đơn vị yêu cầu thực hiện nghiêm việc xin "
          "lỗi bằng văn bản khi hồ sơ quá hạn."),
    Topic("hanh-vi-giay-to", "Cán bộ yêu cầu nộp thêm giấy xác nhận cư trú",
          "Khi làm thủ tục tại {place}, cán bộ yêu cầu tôi về công an xã xin giấy xác nhận cư "
          "trú dù đã có căn cước.",
          "Yêu cầu nộp giấy xác nhận cư trú không đúng quy định tại {place}",
          "Thông tin cư trú được khai thác từ Cơ sở dữ liệu quốc gia về dân cư; cơ quan giải "
          "quyết không được yêu cầu người dân nộp giấy xác nhận cư trú. Đơn vị đã chấn chỉnh "
          "công chức tiếp nhận và niêm yết lại thành phần hồ sơ."),
    Topic("hanh-vi-thai-do", "Thái độ thiếu niềm nở của công chức tiếp nhận",
          "Công chức tiếp nhận hồ sơ ở {place} trả lời cộc lốc, không hướng dẫn mà bảo tôi tự "
          "lên mạng tìm hiểu.",
          "Thái độ phục vụ của công chức tiếp nhận hồ sơ tại {place}",
          "Qua xác minh, phản ánh là đúng. Thủ trưởng đơn vị đã nhắc nhở, yêu cầu công chức "
          "thực hiện đúng quy tắc ứng xử và tổ chức lại việc hướng dẫn tại quầy."),
    Topic("ha-tang-duong-sa", "Đường giao thông nông thôn bị sụt lún",
          "Tuyến đường bê tông liên ấp ở {place} bị sụt lún, mùa mưa đọng nước, xe học sinh "
          "đi lại nguy hiểm.",
          "Tuyến đường liên ấp bị sụt lún tại {place}",
          "Ủy ban nhân dân đã kiểm tra hiện trường, đặt biển cảnh báo và bố trí kinh phí sửa "
          "chữa tuyến đường; công trình đã hoàn thành, bảo đảm đi lại an toàn."),
    Topic("ha-tang-duong-sa", "Cống thoát nước bị tắc gây ngập",
          "Cống thoát nước trước chợ {place} bị tắc, mỗi lần mưa lớn nước ngập vào nhà dân.",
          "Cống thoát nước khu vực chợ bị tắc gây ngập tại {place}",
          "Đơn vị quản lý đã nạo vét tuyến cống, thay nắp hố ga bị hư và đưa khu vực này vào kế "
          "hoạch nạo vét định kỳ trước mùa mưa."),
    Topic("ha-tang-chieu-sang", "Đèn đường hư hỏng nhiều ngày",
          "Dãy đèn chiếu sáng trên tuyến đường chính của {place} bị tắt hơn hai tuần, buổi tối "
          "rất tối.",
          "Đèn chiếu sáng công cộng hư hỏng tại {place}",
          "Đơn vị quản lý chiếu sáng đã thay bóng, sửa tủ điện điều khiển; hệ thống chiếu sáng "
          "hoạt động bình thường."),
    Topic("ha-tang-trat-tu", "Lấn chiếm lòng lề đường buôn bán",
          "Nhiều hộ bày bán hàng hóa lấn ra lòng đường trước cổng trường ở {place}, giờ tan học "
          "rất dễ xảy ra tai nạn.",
          "Lấn chiếm lòng lề đường trước cổng trường tại {place}",
          "Tổ công tác đã vận động các hộ kinh doanh tháo dỡ, ký cam kết không tái lấn chiếm và "
          "tăng cường kiểm tra vào giờ tan học."),
    Topic("moi-truong-rac", "Rác thải không được thu gom",
          "Điểm tập kết rác ở {place} đã một tuần không có xe thu gom, bốc mùi hôi.",
          "Rác thải tồn đọng tại điểm tập kết ở {place}",
          "Đơn vị thu gom đã xử lý dứt điểm rác tồn đọng và bổ sung lịch thu gom hai lần mỗi tuần "
          "tại điểm tập kết này."),
    Topic("moi-truong-o-nhiem", "Cơ sở sản xuất xả nước thải ra kênh",
          "Một cơ sở chế biến thủy sản ở {place} xả nước thải chưa qua xử lý ra kênh, nước đổi "
          "màu và có mùi.",
          "Cơ sở chế biến thủy sản xả nước thải ra kênh tại {place}",
          "Đoàn kiểm tra đã lấy mẫu nước thải; cơ sở bị xử phạt vi phạm hành chính và buộc khắc "
          "phục hệ thống xử lý nước thải trước khi hoạt động lại."),
    Topic("khac", "Đề nghị bố trí thêm chỗ để xe tại Trung tâm",
          "Trung tâm Phục vụ hành chính công thường hết chỗ để xe máy vào buổi sáng.",
          "Bố trí chỗ để xe tại Trung tâm Phục vụ hành chính công",
          "Trung tâm đã bố trí thêm bãi giữ xe miễn phí phía sau trụ sở và biển chỉ dẫn."),
)  # fmt: skip

# Hotline questions answered on the spot come from the standard-answer library.
STANDARD_ANSWERS: tuple[tuple[str, str, str], ...] = (
    ("tthc-ho-tich", "Cấp bản sao trích lục khai sinh mất bao lâu?",
     "Trong ngày làm việc; nộp trực tuyến trên Cổng Dịch vụ công hoặc tại Ủy ban nhân dân cấp "
     "xã, lệ phí theo quy định của Hội đồng nhân dân tỉnh."),
    ("tthc-ho-tich", "Chứng thực bản sao cần mang theo gì?",
     "Mang bản chính giấy tờ cần chứng thực và bản sao; nếu không có bản sao, bộ phận một cửa "
     "chụp từ bản chính."),
    ("tthc-dat-dai", "Nộp hồ sơ đăng ký biến động đất đai ở đâu?",
     "Tại Trung tâm Phục vụ hành chính công cấp xã hoặc trực tuyến; thời hạn giải quyết theo "
     "thủ tục đã công bố."),
    ("tthc-giao-thong", "Đổi giấy phép lái xe trực tuyến như thế nào?",
     "Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử, chọn thủ tục đổi "
     "giấy phép lái xe, nộp lệ phí trực tuyến và nhận kết quả qua bưu chính."),
    ("tthc-truc-tuyen", "Quên mật khẩu tài khoản Cổng Dịch vụ công",
     "Đăng nhập bằng tài khoản định danh điện tử VNeID; nếu không được, liên hệ Tổng đài 1022 "
     "để được hướng dẫn."),
    ("tthc-truc-tuyen", "Tra cứu tình trạng hồ sơ",
     "Nhập mã hồ sơ trên giấy tiếp nhận tại trang tra cứu của Cổng Dịch vụ công tỉnh hoặc quét "
     "mã QR trên giấy tiếp nhận."),
    ("tthc-lao-dong", "Hồ sơ hưởng trợ cấp thất nghiệp",
     "Nộp tại Trung tâm Dịch vụ việc làm trong 03 tháng kể từ ngày chấm dứt hợp đồng lao động, "
     "kèm sổ bảo hiểm xã hội."),
    ("tthc-kinh-doanh", "Đăng ký hộ kinh doanh cần giấy tờ gì?",
     "Giấy đề nghị đăng ký hộ kinh doanh và bản sao hợp đồng thuê địa điểm (nếu có); thông tin "
     "cá nhân được khai thác từ Cơ sở dữ liệu quốc gia về dân cư."),
    ("khac", "Giờ làm việc của Trung tâm Phục vụ hành chính công",
     "Từ thứ Hai đến thứ Sáu, sáng 7 giờ đến 11 giờ 30, chiều 13 giờ 30 đến 17 giờ; sáng thứ "
     "Bảy tiếp nhận một số thủ tục theo thông báo."),
)  # fmt: skip

OUTSIDE_BODIES = (
    "Bảo hiểm xã hội tỉnh Đồng Tháp",
    "Công an tỉnh Đồng Tháp",
    "Thuế tỉnh Đồng Tháp",
    "Công ty Điện lực Đồng Tháp",
    "Bộ Tài chính",
    "Bộ Công an (Cục Cảnh sát giao thông)",
    "Ủy ban nhân dân tỉnh Vĩnh Long",
    "Ủy ban nhân dân tỉnh An Giang",
    "Ủy ban nhân dân Thành phố Hồ Chí Minh",
)
FORWARD_REASON = "Nội dung không thuộc thẩm quyền giải quyết; chuyển cơ quan có thẩm quyền"
REDIRECT_REASON = (
    "Nội dung là khiếu nại quyết định hành chính; hướng dẫn thực hiện theo Luật Khiếu nại"
)
REDIRECT_TARGET = "Ban Tiếp công dân tỉnh Đồng Tháp"
REFUSALS = (
    "Nội dung không rõ ràng, đã liên hệ nhưng người phản ánh không làm rõ",
    "Trùng với phản ánh đã được trả lời, không có tình tiết mới",
    "Không có nội dung phản ánh, kiến nghị cụ thể",
)
SUPPLEMENT_REQUEST = "Đề nghị cho biết mã hồ sơ, ngày nộp và nơi nộp hồ sơ để xác minh"
SUPPLEMENT_TEXT = "Mã hồ sơ và ngày nộp đã ghi trong giấy tiếp nhận; tôi gửi kèm ảnh chụp."
DO_NOT_PUBLISH_REASON = "Người phản ánh đề nghị không công khai vì liên quan đến gia đình"
SURVEY_COMMENTS = (
    "",
    "",
    "Cảm ơn cơ quan đã trả lời nhanh.",
    "Kết quả rõ ràng, cán bộ nhiệt tình.",
    "Trả lời còn chậm so với thời gian hẹn.",
    "Chưa giải quyết dứt điểm, mong cơ quan kiểm tra lại.",
)
QUESTION_CONTENT = "Người gọi hỏi: {question}"
REPEAT_CONTENT = (
    "Tôi đã phản ánh nội dung này và được trả lời nhưng sự việc chưa được giải quyết dứt điểm, "
    "đề nghị cơ quan kiểm tra lại."
)
OFFICIAL_OPENING = "Kính gửi Ông/Bà,"
OFFICIAL_CLOSING = "Trân trọng cảm ơn Ông/Bà đã phản ánh, kiến nghị."

CHANNELS = (
    (Channel.HOTLINE, 38),
    (Channel.PORTAL, 20),
    (Channel.ZALO, 12),
    (Channel.EMAIL, 8),
    (Channel.NATIONAL_PORTAL, 8),
    (Channel.COUNTER, 7),
    (Channel.APP, 4),
    (Channel.LETTER, 3),
)


@dataclass
class _Item:
    """One item to create, with its ledger."""

    values: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    pauses: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    survey: dict[str, Any] | None = None
    topic: Topic | None = None
    place: str = ""
    repeat_of: _Item | None = None
    forwarded_from: _Item | None = None
    code: str = ""

    @property
    def received_at(self) -> dt.datetime:
        """The unit's receipt instant."""
        value: dt.datetime = self.values["received_at"]
        return value


def _place(unit: Unit) -> str:
    """'xã Mỹ An Hưng' from 'Ủy ban nhân dân xã Mỹ An Hưng'."""
    return nfc(unit.name.removeprefix("Ủy ban nhân dân").strip())


def build_categories(province: Unit) -> dict[str, Category]:
    """The category tree, its routing rules (current units) and the standard answers."""
    categories: dict[str, Category] = {}
    for order, spec in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            province=province,
            code=spec.code,
            defaults={
                "name": spec.name,
                "parent": categories.get(spec.parent),
                "subject": spec.subject,
                "norm_days": spec.norm_days,
                "order": order,
            },
        )
        categories[spec.code] = category
    today = REFORM_DAY
    units = {u.code: u for u in Unit.objects.valid_on(today).filter(code__startswith="DT")}
    centre = units[CENTRE]
    communes = [u for u in units.values() if u.level == "commune"]
    rules: list[RoutingRule] = []
    existing = set(
        RoutingRule.objects.filter(category__in=categories.values()).values_list(
            "category_id", "area_id"
        )
    )
    for spec in CATEGORIES:
        category = categories[spec.code]
        default = units.get(f"DT.{spec.after}", centre) if spec.after else centre
        wanted: list[tuple[Unit | None, Unit]] = [(None, default)]
        if spec.by_area:
            wanted += [(commune, commune) for commune in communes]
        for area, handler in wanted:
            if (category.pk, area.pk if area else None) not in existing:
                rules.append(RoutingRule(category=category, area=area, handling_unit=handler))
    RoutingRule.objects.bulk_create(rules)
    for code, title, text in STANDARD_ANSWERS:
        StandardAnswer.objects.get_or_create(
            category=categories[code], title=title, defaults={"text": text}
        )
    return categories


class _Generator:
    """Draws the items of one seed; every instant on the handling unit's working calendar."""

    def __init__(self, seed: int, categories: dict[str, Category], as_of: dt.datetime) -> None:
        self.rng = random.Random(seed)
        # Items are received up to the day before the demo's day and judged at `as_of`.
        self.as_of = as_of
        self.last_day = as_of.astimezone(TZ).date() - dt.timedelta(days=1)
        self.categories = categories
        self.category_by_pk = {c.pk: c for c in categories.values()}
        self.code_by_pk = {c.pk: code for code, c in categories.items()}
        self.calendars: dict[int, WorkCalendar] = {}
        self.national = get_calendar(None)
        self.local: set[int] = {
            pk
            for pk in [
                *CalendarEntry.objects.filter(unit__isnull=False).values_list("unit_id", flat=True),
                *WorkingHours.objects.filter(unit__isnull=False).values_list("unit_id", flat=True),
            ]
            if pk is not None
        }
        officer = User.objects.filter(username=HOTLINE_OFFICER).values_list("pk", flat=True)
        self.officer: int | None = officer.first()
        self.leaders: dict[int, int] = {}
        for user_id, unit_id in Membership.objects.filter(role=Role.LEADER).values_list(
            "user_id", "unit_id"
        ):
            self.leaders.setdefault(unit_id, user_id)
        self.units: dict[int, Unit] = {}
        self.eras: dict[bool, dict[str, Any]] = {}
        for after, day in ((False, REFORM_DAY - dt.timedelta(days=1)), (True, REFORM_DAY)):
            units = {u.code: u for u in Unit.objects.valid_on(day).filter(code__startswith="DT")}
            self.units.update({u.pk: u for u in units.values()})
            communes = sorted(
                (u for u in units.values() if u.level == UnitLevel.COMMUNE), key=lambda u: u.code
            )
            self.eras[after] = {
                "units": units,
                "centre": units[CENTRE],
                "communes": communes,
                "favourites": [
                    u for u in communes if u.code.rsplit(".", 1)[-1] in FAVOURITE_COMMUNES
                ],
                "departments": sorted(
                    (
                        u
                        for code, u in units.items()
                        if u.level == UnitLevel.DEPARTMENT and code.count(".") == 1
                    ),
                    key=lambda u: u.code,
                ),
                "desks": {c.pk: units.get(f"{c.code}.TTPV", c) if after else c for c in communes},
            }

    def calendar(self, unit: Unit) -> WorkCalendar:
        """The unit's calendar; units without local days or hours share the national one."""
        if unit.pk not in self.local:
            return self.national
        if unit.pk not in self.calendars:
            self.calendars[unit.pk] = get_calendar(unit)
        return self.calendars[unit.pk]

    def deadlines(self, item: _Item) -> dict[str, dt.datetime | None]:
        """The cached due instants, as the services compute them from the item's ledger."""
        v = item.values
        unit = self.units[v["unit_id"]]
        shell = Feedback(
            unit=unit,
            category=self.category_by_pk.get(v["category_id"]),
            received_at=v["received_at"],
            resolved_at=v.get("resolved_at"),
        )
        waits = [(p["opened_at"], p["closed_at"]) for p in item.pauses]
        return feedback_deadlines(shell, calendar=self.calendar(unit), pauses=waits)

    # -- the whole period ---------------------------------------------------------------------

    def plan(self, count: int) -> list[_Item]:
        """`count` received items (transfers inside the province come on top)."""
        rng = self.rng
        days = []
        day = FIRST_DAY
        while day <= self.last_day:
            if self.national.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        # Volumes grew after the 2025 merger (a bigger province, one hotline).
        weights = [1.6 if d >= REFORM_DAY else 1.0 for d in days]
        receipts = sorted(rng.choices(days, weights=weights, k=count))
        items: list[_Item] = []
        answered: list[_Item] = []
        for day in receipts:
            if rng.random() < QUESTION_SHARE:
                items.append(self.question(day))
                continue
            repeat_of = None
            if rng.random() < REPEAT_SHARE:
                start = dt.datetime.combine(day, dt.time(0), TZ)
                earlier = [a for a in answered[-300:] if a.values["resolved_at"] < start]
                repeat_of = rng.choice(earlier) if earlier else None
            item = self.pakn(day, repeat_of=repeat_of)
            items.extend(self.outcome(item))
            if item.values.get("resolved_at") is not None and item.values["sender_phone"]:
                answered.append(item)
        return items

    # -- hotline questions ----------------------------------------------------------------------

    def question(self, day: dt.date) -> _Item:
        """A question answered on the spot from the standard answers (received → closed)."""
        rng = self.rng
        centre: Unit = self.eras[day >= REFORM_DAY]["centre"]
        cal = self.calendar(centre)
        category_code, question, text = rng.choice(STANDARD_ANSWERS)
        channel = rng.choices(
            (Channel.HOTLINE, Channel.ZALO, Channel.CHATBOT), weights=(85, 10, 5)
        )[0]
        received = _random_working_instant(rng, cal, day)
        duration = rng.randrange(45, 540) if channel == Channel.HOTLINE else None
        sender = self._sender(with_email=False, with_id=False)
        if channel != Channel.HOTLINE or rng.random() < 0.3:
            sender["sender_name"] = ""
        logged = self.officer if channel == Channel.HOTLINE else None
        item = _Item(
            {
                **self._base(
                    kind=Kind.QUESTION,
                    channel=channel,
                    title=question,
                    content=QUESTION_CONTENT.format(question=question),
                    category=self.categories[category_code],
                    area=None,
                    unit=centre,
                    intake=centre,
                    received=received,
                    sender=sender,
                ),
                "logged_by_id": logged,
                "state": FeedbackState.CLOSED,
                "call_duration_seconds": duration,
                "answer_official": nfc(text),
                "answer_drafted_by_id": logged,
                # answer_on_the_spot stamps the three moves with the one instant of the call.
                "finished_at": received,
                "closed_at": received,
            }
        )
        item.values.update(self.deadlines(item))
        pk = centre.pk
        item.events += [
            _entry("feedback.received", received, "", FeedbackState.RECEIVED, pk),
            _entry("feedback.answered", received, "received", FeedbackState.ANSWERED, pk, text),
            _entry("feedback.closed", received, "answered", FeedbackState.CLOSED, pk),
        ]
        return item

    # -- PAKN -----------------------------------------------------------------------------------

    def _sender(self, *, with_email: bool, with_id: bool) -> dict[str, str]:
        person = _person(self.rng)
        email = ""
        if with_email:
            local = fold(person["applicant_name"]).replace(" ", ".")
            email = f"{local}{self.rng.randrange(10, 100)}@example.com"
        return {
            "sender_name": person["applicant_name"],
            "sender_phone": person["applicant_phone"],
            "sender_email": email,
            "sender_id_number": person["applicant_id_number"] if with_id else "",
        }

    def _base(
        self,
        *,
        kind: str,
        channel: str,
        title: str,
        content: str,
        category: Category,
        area: Unit | None,
        unit: Unit,
        intake: Unit,
        received: dt.datetime,
        sender: dict[str, str],
    ) -> dict[str, Any]:
        logged = channel in (Channel.HOTLINE, Channel.COUNTER, Channel.LETTER)
        return {
            "kind": kind,
            "state": FeedbackState.RECEIVED,
            "channel": channel,
            "title": nfc(title),
            "content": nfc(content),
            "subject": category.subject,
            "competence": "",
            "category_id": category.pk,
            "area_id": area.pk if area else None,
            **sender,
            "sender_address": "",
            "intake_unit_id": intake.pk,
            "logged_by_id": self.officer if logged and intake.code == CENTRE else None,
            "contact_at": received,
            "received_at": received,
            "unit_id": unit.pk,
            "call_duration_seconds": None,
            "repeat_dissatisfied": False,
            "resolved_at": None,
        }

    def pakn(self, day: dt.date, *, repeat_of: _Item | None = None) -> _Item:
        """A PAKN as received (what happens next is drawn by `outcome`)."""
        rng = self.rng
        after = day >= REFORM_DAY
        era = self.eras[after]
        if repeat_of is not None:
            spec = BY_CODE[self.code_by_pk[repeat_of.values["category_id"]]]
        else:
            spec = rng.choices(LEAVES, weights=[c.weight for c in LEAVES])[0]
        topic = rng.choice([t for t in TOPICS if t.category == spec.code])
        area: Unit | None = None
        if spec.by_area and rng.random() < 0.8:
            area = rng.choice(era["favourites"] if rng.random() < 0.15 else era["communes"])
        department = spec.after if after else spec.before
        unit: Unit = era["units"].get(f"DT.{department}", era["centre"])
        if area is not None:
            unit = area
        channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        intake: Unit = era["centre"]
        if channel == Channel.COUNTER and area is not None:
            intake = era["desks"].get(area.pk, area)
        elif channel == Channel.LETTER:
            intake = unit
        received = _random_working_instant(rng, self.calendar(unit), day)
        place = _place(area) if area is not None else "tỉnh Đồng Tháp"
        if repeat_of is not None:
            sender = {k: repeat_of.values[k] for k in SENDER_KEYS}
            title = nfc(f"Phản ánh lại: {repeat_of.values['title']}")[:255]
            content = REPEAT_CONTENT
        else:
            sender = self._sender(
                with_email=channel in (Channel.EMAIL, Channel.PORTAL) or rng.random() < 0.1,
                with_id=channel == Channel.COUNTER or rng.random() < 0.15,
            )
            if channel == Channel.EMAIL and rng.random() < 0.3:
                sender["sender_phone"] = ""
            title = topic.title
            content = topic.content.format(place=place)
        values = self._base(
            kind=Kind.PAKN,
            channel=channel,
            title=title,
            content=content,
            category=self.categories[spec.code],
            area=area,
            unit=unit,
            intake=intake,
            received=received,
            sender=sender,
        )
        if channel in (Channel.EMAIL, Channel.LETTER, Channel.NATIONAL_PORTAL, Channel.PORTAL):
            # Written in before the unit's receipt (evenings, weekends, the post).
            values["contact_at"] = received - dt.timedelta(minutes=rng.randrange(10, 60 * 30))
        if area is not None:
            values["sender_address"] = nfc(f"Ấp {rng.randrange(1, 8)}, {place}, tỉnh Đồng Tháp")
        if channel == Channel.HOTLINE:
            values["call_duration_seconds"] = rng.randrange(90, 900)
        values["repeat_dissatisfied"] = repeat_of is not None and rng.random() < 0.8
        item = _Item(values, topic=topic, place=place, repeat_of=repeat_of)
        item.events.append(
            _entry("feedback.received", received, "", FeedbackState.RECEIVED, unit.pk)
        )
        return item

    def outcome(self, item: _Item) -> list[_Item]:
        """Draw how the item ended (or where it stands at as_of): it, and any transfer."""
        rng = self.rng
        v = item.values
        unit = self.units[v["unit_id"]]
        cal = self.calendar(unit)
        due = self.deadlines(item)
        draw = rng.choices(
            ("resolved", "forwarded", "redirected", "refused", "stuck"),
            weights=(80, 9, 3, 4, 0.6),
        )[0]
        handle_due = due["handle_due"]
        assert handle_due is not None
        recent = self.as_of - item.received_at < dt.timedelta(days=8)
        if (
            draw == "resolved"
            and handle_due >= self.as_of
            and rng.random() < (0.7 if recent else 0.3)
        ):
            draw = "stuck"  # many items of the last three weeks are still in hand
        extra: list[_Item] = []
        if draw in ("forwarded", "redirected", "refused"):
            limit = due["refuse_due"] if draw == "refused" else due["supplement_due"]
            assert limit is not None
            at = _between(rng, cal, item.received_at, min(limit, self.as_of))
            if at is None:
                draw = "stuck"  # received just before as_of: still open
            else:
                extra = self._dispose(item, draw, at)
        if draw in ("resolved", "stuck"):
            self._handle(item, due, stuck=draw == "stuck")
        v.update(self.deadlines(item))
        for transfer in extra:
            transfer.values.update(self.deadlines(transfer))
        return [item, *extra]

    def _dispose(self, item: _Item, draw: str, at: dt.datetime) -> list[_Item]:
        """Refused, redirected or forwarded at `at` (a forward inside creates a new item)."""
        rng = self.rng
        v = item.values
        v["finished_at"] = at
        extra: list[_Item] = []
        if draw == "refused":
            v.update(state=FeedbackState.REFUSED, disposal_reason=rng.choice(REFUSALS))
        elif draw == "redirected":
            v.update(
                state=FeedbackState.REDIRECTED,
                competence=Competence.NOT_PAKN,
                disposal_reason=REDIRECT_REASON,
                forwarded_to_body=REDIRECT_TARGET,
            )
        else:
            v.update(
                state=FeedbackState.FORWARDED,
                competence=Competence.OTHER_BODY,
                disposal_reason=FORWARD_REASON,
            )
            era = self.eras[at.astimezone(TZ).date() >= REFORM_DAY]
            targets = [u for u in era["departments"] if u.pk != v["unit_id"]]
            if targets and rng.random() < 0.3:
                to = rng.choice(targets)
                v.update(forwarded_to_unit_id=to.pk, forwarded_to_body=to.name)
                extra.append(self.transfer(item, to, at))
            else:
                v["forwarded_to_body"] = rng.choice(OUTSIDE_BODIES)
        kind = {
            FeedbackState.REFUSED: "feedback.refused",
            FeedbackState.REDIRECTED: "feedback.redirected",
            FeedbackState.FORWARDED: "feedback.forwarded",
        }[v["state"]]
        item.events.append(
            _entry(kind, at, "received", v["state"], v["unit_id"], v["disposal_reason"])
        )
        return extra

    def transfer(self, source: _Item, to: Unit, at: dt.datetime) -> _Item:
        """The new item a forward inside the province creates at `to` (its clock starts at `at`)."""
        v = source.values
        values = {
            **{k: v[k] for k in (*SENDER_KEYS, "sender_address", "kind", "title", "content")},
            **{k: v[k] for k in ("subject", "category_id", "area_id", "contact_at")},
            "state": FeedbackState.RECEIVED,
            "channel": Channel.TRANSFER,
            "competence": "",
            "intake_unit_id": v["unit_id"],
            "logged_by_id": None,
            "received_at": at,
            "unit_id": to.pk,
            "call_duration_seconds": None,
            "repeat_dissatisfied": False,
            "resolved_at": None,
        }
        item = _Item(values, topic=source.topic, place=source.place, forwarded_from=source)
        item.events.append(_entry("feedback.received", at, "", FeedbackState.RECEIVED, to.pk))
        # Its own outcome, without a second forward (keeps the chain short).
        self._handle(item, self.deadlines(item), stuck=self.rng.random() < 0.03)
        return item

    def _handle(self, item: _Item, due: dict[str, dt.datetime | None], *, stuck: bool) -> None:
        """Processing, an optional supplement, the answer, publication, closing, votes."""
        rng = self.rng
        v = item.values
        pk = v["unit_id"]
        cal = self.calendar(self.units[pk])
        handle_due, norm_due = due["handle_due"], due["norm_due"]
        assert handle_due is not None and norm_due is not None
        start = _between(
            rng, cal, item.received_at, min(due["refuse_due"] or handle_due, self.as_of)
        )
        if start is None or (stuck and rng.random() < 0.25):
            return  # still just received (not yet classified)
        v.update(state=FeedbackState.PROCESSING, competence=Competence.IN_SCOPE)
        item.events.append(
            _entry("feedback.processing_started", start, "received", "processing", pk)
        )
        cursor = start
        if rng.random() < SUPPLEMENT_SHARE:
            opened = _between(rng, cal, start, min(due["supplement_due"] or handle_due, self.as_of))
            if opened is not None:
                v.update(state=FeedbackState.SUPPLEMENT_REQUESTED, first_supplement_at=opened)
                item.events.append(
                    _entry(
                        "feedback.supplement_requested",
                        opened,
                        "processing",
                        "supplement_requested",
                        pk,
                        SUPPLEMENT_REQUEST,
                    )
                )
                closed = cal.add_working(opened, rng.randrange(60, DAY_MINUTES * 5))
                pause = {"opened_at": opened, "closed_at": None, "request": SUPPLEMENT_REQUEST}
                item.pauses.append(pause)
                if closed >= self.as_of:
                    return  # waiting for the sender
                pause["closed_at"] = closed
                resumed = cal.add_working(closed, rng.randrange(1, 120))
                item.events += [
                    _entry(
                        "feedback.supplemented",
                        closed,
                        "supplement_requested",
                        "supplemented",
                        pk,
                        SUPPLEMENT_TEXT,
                    ),
                    _entry(
                        "feedback.processing_started", resumed, "supplemented", "processing", pk
                    ),
                ]
                v["state"] = FeedbackState.SUPPLEMENTED
                if resumed >= self.as_of:
                    return
                v["state"] = FeedbackState.PROCESSING
                cursor = resumed
        if stuck:
            return  # open at as_of; overdue when received long ago
        # Within the category norm, between the norm and the 766 limit, or late.
        band = rng.choices(("norm", "limit", "late"), weights=(70, 19, 11))[0]
        resolved: dt.datetime | None = None
        if band == "norm":
            resolved = _between(rng, cal, cursor, norm_due)
        elif band == "limit":
            resolved = _between(rng, cal, max(cursor, norm_due), handle_due)
        if resolved is None:
            resolved = cal.add_working(max(cursor, handle_due), rng.randrange(30, DAY_MINUTES * 8))
        if resolved >= self.as_of:
            return  # still processing
        self._answer(item, resolved)

    def _answer(self, item: _Item, resolved: dt.datetime) -> None:
        rng = self.rng
        v = item.values
        pk = v["unit_id"]
        cal = self.calendar(self.units[pk])
        topic, place = item.topic, item.place
        assert topic is not None
        public = nfc(topic.answer.format(place=place))
        v.update(
            state=FeedbackState.ANSWER_APPROVED,
            resolved_at=resolved,
            finished_at=resolved,
            answer_official=nfc(f"{OFFICIAL_OPENING}\n{public}\n{OFFICIAL_CLOSING}"),
            answer_public=public,
            public_title=nfc(topic.public_title.format(place=place)),
            answer_approved_by_id=self.leaders.get(pk),
        )
        item.events.append(
            _entry("feedback.answer_approved", resolved, "processing", "answer_approved", pk)
        )
        publish = v["subject"] in (Subject.REGULATION, Subject.CONDUCT) or rng.random() < 0.5
        if publish and rng.random() < DO_NOT_PUBLISH_SHARE:
            v.update(do_not_publish=True, do_not_publish_reason=DO_NOT_PUBLISH_REASON)
            publish = False
        rating_from = resolved
        published: dt.datetime | None = None
        if publish:
            late = rng.random() < 0.1
            # Late publications stay within the rating window (the closing job would win).
            minutes = (
                rng.randrange(DAY_MINUTES * 2, DAY_MINUTES * 4)
                if late
                else rng.randrange(10, DAY_MINUTES * 2)
            )
            published = cal.add_working(resolved, minutes)
            if published >= self.as_of:
                return
            v.update(
                state=FeedbackState.PUBLISHED,
                published_at=published,
                search_text=fold(f"{v['public_title']} {v['answer_public']}"),
            )
            item.events.append(
                _entry("feedback.published", published, "answer_approved", "published", pk)
            )
            rating_from = published
        # The closing job runs every hour once the rating window has passed.
        closing = rating_from + rating_window() + dt.timedelta(minutes=rng.randrange(1, 60))
        closed = closing if closing < self.as_of else None
        if published is not None:
            self._votes(item, published, closed or self.as_of)
        if closed is None:
            return
        item.events.append(_entry("feedback.closed", closed, v["state"], "closed", pk))
        v.update(state=FeedbackState.CLOSED, closed_at=closed)
        if rng.random() < SURVEY_SHARE:
            handle_due = self.deadlines(item)["handle_due"]
            late = handle_due is not None and resolved > handle_due
            satisfied = rng.random() < (0.5 if late else 0.85)
            at = closed + dt.timedelta(minutes=rng.randrange(5, 60 * 24 * 3))
            if at < self.as_of:
                comment = rng.choice(SURVEY_COMMENTS[:4] if satisfied else SURVEY_COMMENTS[4:])
                item.survey = {"satisfied": satisfied, "comment": comment, "at": at}
                item.events.append(_entry("feedback.surveyed", at, "closed", "closed", pk, comment))

    def _votes(self, item: _Item, published: dt.datetime, until: dt.datetime) -> None:
        """Likes and dislikes while the answer is published (voting ends when it is closed)."""
        rng = self.rng
        likes = rng.choices(range(13), weights=[6, 8, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1, 1])[0]
        unhappy = rng.random() < 0.12
        dislikes = likes + rng.randrange(1, 4) if unhappy else rng.randrange(0, 3)
        values = [1] * likes + [-1] * dislikes
        rng.shuffle(values)
        span = max(1, int((until - published).total_seconds() // 60) - 1)
        sender_votes = bool(item.values["sender_phone"]) and rng.random() < 0.3
        for n, value in enumerate(values):
            at = published + dt.timedelta(minutes=rng.randrange(1, span + 1))
            item.votes.append(
                {"value": value, "n": n, "is_sender": sender_votes and n == 0, "at": at}
            )
            item.events.append(
                {
                    **_entry(
                        "feedback.voted", at, "published", "published", item.values["unit_id"]
                    ),
                    "actor_name": "người phản ánh" if sender_votes and n == 0 else "công chúng",
                    "data": {"source": SOURCE, "value": value},
                }
            )
        item.values["likes"] = values.count(1)
        item.values["dislikes"] = values.count(-1)


def _entry(
    kind: str, at: dt.datetime, before: str, after: str, unit: int, note: str = ""
) -> dict[str, Any]:
    return {
        "kind": kind,
        "at": at,
        "actor_name": SOURCE,
        "unit_id": unit,
        "from_state": before,
        "to_state": after,
        "note": note,
        "data": {"source": SOURCE},
    }


def _assign_codes(items: list[_Item]) -> Counter[dt.date]:
    """`PA-DT-<yyMMdd>-<NNNN>` in order of receipt within each local day."""
    sequences: Counter[dt.date] = Counter()
    for item in sorted(items, key=lambda i: i.received_at):
        day = item.received_at.astimezone(TZ).date()
        sequences[day] += 1
        item.code = f"{CODE_PREFIX}-{day:%y%m%d}-{sequences[day]:04d}"
    return sequences


def build_feedback(
    *, seed: int, count: int, today: dt.date | None = None, stdout: Any = None
) -> dict[str, Any]:
    """Create the category tree and `count` demo items for `seed` up to `today` (once).

    Items are received up to the day before `today` (default the day it runs) and stand at
    `demo_instant(today)`, like the demo dossiers. A rerun adds nothing once demo items exist.
    """
    province = Unit.objects.version_of(PROVINCE, on=REFORM_DAY)
    if province is None or count <= 0:
        return {"created": 0, "existing": 0}
    as_of = demo_instant(today)
    if as_of.date() <= FIRST_DAY + dt.timedelta(days=1):
        return {"created": 0, "existing": 0, "skipped": "the demo period starts on 02/01/2025"}
    loaded = Feedback.objects.filter(
        events__kind="feedback.received", events__actor_name=SOURCE
    ).count()
    if loaded:
        # Items built on another day have other codes: a second set would double the queues.
        return {"created": 0, "existing": loaded}
    with transaction.atomic():
        categories = build_categories(province)
        generator = _Generator(seed, categories, as_of)
        items = generator.plan(count)
        sequences = _assign_codes(items)
        codes = [i.code for i in items]
        existing: set[str] = set()
        for start in range(0, len(codes), 900):
            existing.update(
                Feedback.objects.filter(code__in=codes[start : start + 900]).values_list(
                    "code", flat=True
                )
            )
        fresh = [i for i in items if i.code not in existing]
        now = timezone.now()
        insert = BulkInsert(Feedback, now=now)
        entries = BulkInsert(FeedbackEntry, now=now)
        ids: dict[str, int] = {}
        for start in range(0, len(fresh), 1000):
            chunk = fresh[start : start + 1000]
            insert.run([{**i.values, "code": i.code} for i in chunk])
            ids.update(
                Feedback.objects.filter(code__in=[i.code for i in chunk]).values_list("code", "pk")
            )
            entries.run([{"feedback_id": ids[i.code], **e} for i in chunk for e in i.events])
        FeedbackPause.objects.bulk_create(
            [FeedbackPause(feedback_id=ids[i.code], **p) for i in fresh for p in i.pauses]
        )
        FeedbackVote.objects.bulk_create(
            [
                FeedbackVote(
                    feedback_id=ids[i.code],
                    value=vote["value"],
                    voter=hashlib.sha256(f"{SOURCE}:{i.code}:{vote['n']}".encode()).hexdigest(),
                    is_sender=vote["is_sender"],
                    at=vote["at"],
                )
                for i in fresh
                for vote in i.votes
            ]
        )
        FeedbackSurvey.objects.bulk_create(
            [FeedbackSurvey(feedback_id=ids[i.code], **i.survey) for i in fresh if i.survey]
        )
        linked = [i for i in fresh if i.repeat_of is not None or i.forwarded_from is not None]
        for item in linked:
            Feedback.objects.filter(pk=ids[item.code]).update(
                repeat_of_id=ids.get(item.repeat_of.code) if item.repeat_of else None,
                forwarded_from_id=(
                    ids.get(item.forwarded_from.code) if item.forwarded_from else None
                ),
            )
        counters = _advance_counters(sequences)
    kinds = Counter(str(i.values["kind"]) for i in fresh)
    states = Counter(str(i.values["state"]) for i in fresh if i.values["kind"] == Kind.PAKN)
    channels = Counter(str(i.values["channel"]) for i in fresh)
    result = {
        "created": len(fresh),
        "existing": len(existing),
        "questions": kinds[Kind.QUESTION],
        "pakn": kinds[Kind.PAKN],
        "states": dict(sorted(states.items())),
        "channels": dict(sorted(channels.items())),
        "published": sum(1 for i in fresh if i.values.get("published_at")),
        "votes": sum(len(i.votes) for i in fresh),
        "surveys": sum(1 for i in fresh if i.survey),
        "categories": len(categories),
        "counters": counters,
    }
    if stdout is not None:
        stdout.write(
            f"phản ánh mẫu / demo feedback (seed {seed}): {result['created']} created, "
            f"{result['existing']} already there"
        )
    return result


def _advance_counters(sequences: Counter[dt.date]) -> int:
    """Raise each day's counter to the last demo sequence, never lowering it."""
    days = sorted(sequences)
    existing = {
        c.day: c for c in FeedbackCodeCounter.objects.filter(prefix=CODE_PREFIX, day__in=days)
    }
    create, update = [], []
    for day in days:
        counter = existing.get(day)
        if counter is None:
            create.append(FeedbackCodeCounter(prefix=CODE_PREFIX, day=day, last=sequences[day]))
        elif counter.last < sequences[day]:
            counter.last = sequences[day]
            update.append(counter)
    FeedbackCodeCounter.objects.bulk_create(create)
    FeedbackCodeCounter.objects.bulk_update(update, ["last"])
    return len(create) + len(update)
