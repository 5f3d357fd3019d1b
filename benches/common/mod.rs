//! Fixed bench inputs: English and code prompts of about 20, 200 and 1,000 words.

const ENGLISH: &str = "We are moving our customer support team from email to a shared ticketing \
system next quarter. Please plan the rollout in phases, starting with a pilot group of five \
agents, then the billing queue, then everyone else. For each phase list the training sessions, \
the data we need to migrate from the old mailboxes, who signs off, and what we measure to decide \
whether to continue. Keep in mind that two people are on leave in July and that the finance \
team closes the books in the first week of every month, so nothing risky should land then. ";

const CODE: &str = "def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:\n    \
\"\"\"Merge overlapping intervals and return them sorted by start.\n\n    >>> merge_intervals([(1, 3), \
(2, 6), (8, 10)])\n    [(1, 6), (8, 10)]\n    \"\"\"\n    out = []\n    for start, end in \
sorted(intervals):\n        if out and start <= out[-1][1]:\n            out[-1] = (out[-1][0], \
max(out[-1][1], end))\n        else:\n            out.append((start, end))\n    return out\n\n";

/// The first `words` whitespace-separated words of `base` repeated, keeping its layout.
fn take_words(base: &str, words: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for piece in base.split_inclusive(char::is_whitespace).cycle() {
        if !piece.trim().is_empty() {
            n += 1;
        }
        out.push_str(piece);
        if n >= words {
            break;
        }
    }
    out
}

/// `(name, text)` for every bench input.
pub fn inputs() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for words in [20, 200, 1000] {
        v.push((format!("english_{words}w"), take_words(ENGLISH, words)));
        v.push((format!("code_{words}w"), take_words(CODE, words)));
    }
    v
}

/// The same support-rollout request in ten languages (English with typographic punctuation),
/// `(name, text)`: what a multilingual gateway sees, where scripts outside ASCII take the
/// featurizer's slower per-char paths.
const SCRIPTS: [(&str, &str); 10] = [
    ("english_typographic", "We\u{2019}re moving our support team to a new ticketing system next quarter \u{2014} please plan the rollout in phases: a \u{201c}pilot\u{201d} group of five agents, then the billing queue, then everyone else\u{2026} For each phase, list the training, the data to migrate, who signs off, and what we measure. "),
    ("french", "Le trimestre prochain, nous faisons passer l'équipe d'assistance à un nouveau système de tickets. Planifie le déploiement par étapes : d'abord un groupe pilote de cinq agents, puis la file de facturation, puis tout le monde. Pour chaque étape, indique les formations, les données à migrer, qui valide et ce que nous mesurons. "),
    ("russian", "В следующем квартале мы переводим службу поддержки на новую систему заявок. Пожалуйста, спланируй внедрение по этапам: сначала пилотная группа из пяти сотрудников, затем очередь по оплате, затем все остальные. Для каждого этапа перечисли обучение, данные для переноса, кто утверждает и что мы измеряем. "),
    ("greek", "Το επόμενο τρίμηνο μεταφέρουμε την ομάδα υποστήριξης σε ένα νέο σύστημα αιτημάτων. Σχεδίασε την εφαρμογή σε φάσεις: πρώτα μια πιλοτική ομάδα πέντε ατόμων, μετά η ουρά χρεώσεων και μετά όλοι οι υπόλοιποι. Για κάθε φάση γράψε την εκπαίδευση, τα δεδομένα που μεταφέρουμε, ποιος εγκρίνει και τι μετράμε. "),
    ("arabic", "سننقل فريق الدعم إلى نظام تذاكر جديد في الربع القادم. من فضلك خطط للتنفيذ على مراحل: أولاً مجموعة تجريبية من خمسة موظفين، ثم قائمة الفواتير، ثم الجميع. لكل مرحلة اذكر التدريب والبيانات التي سننقلها ومن يوافق وما الذي سنقيسه. "),
    ("hindi", "अगली तिमाही में हम अपनी सहायता टीम को एक नई टिकट प्रणाली पर ले जा रहे हैं। कृपया इसे चरणों में लागू करने की योजना बनाइए: पहले पाँच लोगों का एक पायलट समूह, फिर बिलिंग कतार, फिर बाकी सभी। हर चरण के लिए प्रशिक्षण, स्थानांतरित होने वाला डेटा, कौन मंज़ूरी देगा और हम क्या मापेंगे, यह लिखिए। "),
    ("thai", "ไตรมาสหน้าเราจะย้ายทีมสนับสนุนลูกค้าไปใช้ระบบตั๋วใหม่ ช่วยวางแผนการเปิดใช้งานเป็นระยะ เริ่มจากกลุ่มนำร่องห้าคน จากนั้นคิวการเรียกเก็บเงิน แล้วจึงเป็นทุกคน สำหรับแต่ละระยะให้ระบุการฝึกอบรม ข้อมูลที่ต้องย้าย ผู้อนุมัติ และสิ่งที่เราวัดผล "),
    ("vietnamese", "Quý tới chúng tôi sẽ chuyển đội hỗ trợ khách hàng sang một hệ thống phiếu yêu cầu mới. Hãy lập kế hoạch triển khai theo từng giai đoạn: đầu tiên là nhóm thí điểm năm người, sau đó là hàng đợi thanh toán, rồi đến tất cả mọi người. Với mỗi giai đoạn, hãy liệt kê các buổi đào tạo, dữ liệu cần chuyển, ai phê duyệt và chúng ta đo lường điều gì. "),
    ("japanese", "来四半期、サポートチームを新しいチケットシステムに移行します。段階的な導入計画を立ててください。まず5人のパイロットグループ、次に請求キュー、最後に全員です。各段階について、研修、移行するデータ、承認者、そして何を測定するかを挙げてください。"),
    ("korean", "다음 분기에 지원팀을 새로운 티켓 시스템으로 옮깁니다. 단계별 도입 계획을 세워 주세요. 먼저 다섯 명의 시범 그룹, 그다음 청구 대기열, 마지막으로 모든 사람입니다. 각 단계마다 교육, 옮길 데이터, 승인자, 그리고 무엇을 측정할지 적어 주세요. "),
];

/// `(name, text)` for [`SCRIPTS`], each repeated to at least 1,200 bytes (the realistic
/// set's ~200-word prompts average 1,220).
#[allow(dead_code)] // each bench target compiles this module; not all use every input
pub fn scripts() -> Vec<(String, String)> {
    SCRIPTS
        .iter()
        .map(|(name, base)| {
            let mut text = String::new();
            while text.len() < 1200 {
                text.push_str(base);
            }
            (format!("{name}_1200b"), text)
        })
        .collect()
}
