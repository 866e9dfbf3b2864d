package extractor

import "testing"

// Each lexicon category, in each language it covers, with a block it
// must catch and a body sentence on the same subject it must leave alone.
func TestLexicon(t *testing.T) {
	tests := []struct {
		category string
		fires    string
		stays    string
	}{
		{"donation", "Support The Moscow Times!", "The Moscow Times said its support among readers had grown, the editor told a conference in Riga on Tuesday, adding that the paper had been designated an undesirable organisation by prosecutors last year."},
		{"donation", "Your support, no matter how small, makes a world of difference.", "Charities said donations fell sharply in the second half of the year, as households cut spending on everything from food to heating and rent rose across the country's largest cities."},
		{"donation", "Дорогие читатели! Поддержите независимую журналистику.", "Фонд собрал пожертвования на восстановление школы, сообщили в администрации города, уточнив, что работы начнутся весной и продлятся до конца следующего года по плану."},
		{"donation", "Підтримайте нас — кожен внесок важливий.", "Волонтери передали армії дрони, придбані за кошти, зібрані під час благодійного марафону, повідомили в організації, яка займається допомогою військовим вже третій рік."},
		{"donation", "후원하기", "정부는 올해 국방 예산을 늘리기로 했으며 국회는 다음 주 본회의에서 예산안을 처리할 예정이라고 밝혔다 관계자는 설명했다."},
		{"newsletter", "Sign up for our free weekly newsletter", "The minister announced the plan in a newsletter sent to party members on Friday evening, in which she also set out the timetable for the vote and the consultations that would come before it in spring."},
		{"newsletter", "Получайте самые главные статьи дня на свой электронный адрес", "Министерство разослало письма по электронной почте всем школам региона, сообщив о новых правилах приёма детей в первый класс и о сроках подачи документов родителями."},
		{"newsletter", "뉴스레터 구독", "북한은 이날 오전 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다 군은 추가 발사에 대비해 감시를 강화했다고 전했다."},
		{"paywall", "Subscribe to continue reading", "Newspapers that asked readers to subscribe to continue reading online lost fewer readers than expected, according to a study published on Thursday by researchers at the university."},
		{"teaser", "Read more: Kremlin Denies Reports of North Korean Troops", "Read more widely, the report suggests that the ministry had warned of shortages as early as March, officials said, although the government has denied receiving any such warning."},
		{"teaser", "Читайте также: Губернатор ушёл в отставку", "Губернатор попросил жителей читать официальные сообщения также в социальных сетях, где администрация публикует новости о ремонте дорог и работе транспорта в городе каждый день."},
		{"teaser", "Читайте також: Уряд ухвалив бюджет", "Уряд ухвалив бюджет на наступний рік, передбачивши збільшення видатків на оборону та соціальні програми, повідомили в міністерстві фінансів після засідання у вівторок."},
		{"teaser", "많이 본 뉴스", "국회는 이날 본회의를 열어 내년도 예산안을 통과시켰으며 여야는 막판까지 쟁점 예산을 두고 협상을 벌인 것으로 알려졌다."},
		{"social", "Follow us on Telegram", "The ministry said it would follow the talks closely and respond on Friday, after officials in both capitals confirmed the date of the next round of negotiations."},
		{"cookie", "This website uses cookies. Read our privacy policy to find out more.", "Regulators fined the company for placing tracking cookies without consent, the watchdog said in a ruling on Wednesday that the firm said it would appeal in court."},
		{"comments", "Leave a comment", "Officials declined to comment on the report, which was published on Monday and says that the number of troops near the border has doubled since the summer."},
		{"chrome", "© 2024 The Example Herald. All rights reserved.", "The court ruled that the photographs were protected by copyright law and ordered the website to remove them, ending a dispute that had lasted more than three years."},
		{"ad", "Advertisement", "Spending on advertisement boards in the capital rose by a fifth last year, the city's statistics office said, driven by election campaigns and a recovery in tourism."},
		{"adblock", "We've noticed you're using an ad blocker.", "Publishers say the use of ad blockers has cut their income, a survey of media companies found, though the share of readers using them has stopped growing."},
	}
	for _, tt := range tests {
		if cat, ok := boilerplateWording(tt.fires); !ok {
			t.Errorf("%s: %q not caught", tt.category, tt.fires)
		} else if cat != tt.category {
			t.Logf("%q caught as %s (listed under %s)", tt.fires, cat, tt.category)
		}
		if cat, ok := boilerplateWording(tt.stays); ok {
			t.Errorf("%s: body sentence removed as %s: %q", tt.category, cat, tt.stays)
		}
	}
}

func TestSplitWords(t *testing.T) {
	tests := map[string]string{
		"article__related-article": "article related article",
		"shareBar":                 "share bar",
		"NEWS-Box2":                "news box2",
		"c-entry-content ":         "c entry content",
	}
	for in, want := range tests {
		got := ""
		for i, w := range splitWords(in, nil) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("splitWords(%q) = %q, want %q", in, got, want)
		}
	}
}
