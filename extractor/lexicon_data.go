package extractor

// The lexicon's data: wording that marks a block as boilerplate, in
// English, Russian, Ukrainian and Korean, with German, French and Spanish
// where it is cheap. Every entry is wording that many outlets use, never
// one site's label (that goes in the outlet's extract.remove in
// feeds.yaml). Every entry carries a block it must catch, as its own
// category, and a body block using the same words that it must leave;
// TestLexiconEntries holds each to both.
//
// Patterns are lower-case regular expressions, compiled on first use.
// "~" marks a weak entry: a lone word or stem, which decides only very
// short blocks.

type lexEntry struct {
	pattern string
	fires   string
	stays   string
}

type lexGroup struct {
	category string
	entries  []lexEntry
}

// A body sentence long enough that one phrase in it does not decide.
const (
	bodyEN = " the council said on Tuesday, after a debate that lasted well into the night and ended with a vote of the regional assembly."
	bodyRU = " — сообщили в администрации города во вторник после долгого обсуждения, которое продолжалось до позднего вечера и закончилось голосованием депутатов."
	bodyUK = " — повідомили в міській раді у вівторок після тривалого обговорення, яке тривало до пізнього вечора і завершилося голосуванням депутатів."
	bodyKO = " 시의회는 화요일 밤늦게까지 이어진 토론 끝에 지역 의회 표결로 이 안건을 처리했다고 밝혔으며 관계자들은 다음 달부터 시행될 것이라고 설명했다."
)

func lexiconSource() []lexGroup {
	return []lexGroup{
		{"donation", []lexEntry{
			{`помогите нам (?:продолжать|оставаться|работать|выжить)|допоможіть нам (?:продовжувати|залишатися|працювати|вижити)`, "Помогите нам продолжать работу", "«Помогите нам найти сына», — попросила жительница," + bodyRU},
			{`благодаря вашей (?:поддержке|помощи)|завдяки вашій (?:підтримці|допомозі)`, "Мы работаем только благодаря вашей поддержке.", "Благодаря вашей статье, сказал министр, ведомство пересмотрело решение," + bodyRU},
			{`станьте (?:нашим )?патрон|станьте (?:нашим )?(?:спонсором|донором)|станьте (?:нашим )?меценат|\bpatreon\b`, "Станьте нашим патроном на Patreon", "Станьте свидетелем истории, призывал плакат на площади," + bodyRU},
			{`정기 ?후원|후원(?:하기|해 ?주세요|회원|으로 함께)`, "정기 후원으로 함께해 주세요", "정부는 후원 단체에 대한 감사를 진행했다." + bodyKO},
			{`\bchip in \$\d|\bjetzt spenden\b|\bfaire un don\b|\bhaz(?:te)? (?:un )?donativo\b|\bhazte (?:socio|miembro)\b`, "Chip in $5 to keep us going.", "Neighbours chipped in to rebuild the barn after the fire, the farmer said," + bodyEN},
			{`\bsupport (?:us|our (?:work|journalism|reporting|mission|newsroom)|independent (?:journalism|media|news|reporting))\b`,
				"Support independent journalism today.", "The foundation said it would support independent journalism in the region through grants," + bodyEN},
			{`^support (?:the |us\b|our )`, "Support the Kyiv Independent!", "The plan has the support of the mayor and most of the opposition," + bodyEN},
			{`\b(?:make|give) (?:a|your) (?:contribution|donation|gift)\b`, "Make a donation now and help us keep going.", "Residents who wished to give a donation to the flood victims could do so at the town hall," + bodyEN},
			{`\bmake your contribution\b`, "Make your contribution count this year.", "Economists said each country must make its contribution to the fund before the end of the year," + bodyEN},
			{`\bdonate (?:now|today|here|to us)\b`, "Donate now", "He urged residents who could afford it to donate blood at the hospital, where stocks were low," + bodyEN},
			{`\bcontribute (?:now|today)\b`, "Contribute today", "Farmers will contribute to the fund in proportion to their land," + bodyEN},
			{`\b(?:become|join) (?:a |as a )?(?:member|supporter|patron)s?\b`, "Become a member", "She will become a member of the board in January," + bodyEN},
			{`\bdear readers?\b`, "Dear readers, we need your help.", "The editor's letter, which began with the words dear readers, was read out in court as evidence," + bodyEN},
			{`^before you go\b`, "Before you go, one quick favour.", "Officials said that before you go to the polling station you should check your registration," + bodyEN},
			{`\bremind me later\b`, "Remind me later", "The app's remind me later button was blamed by the regulator for confusing older users," + bodyEN},
			{`\bnot ready to (?:support|contribute|give|donate)\b`, "Not ready to give today? Share this story.", "The ministry said it was not ready to support the plan without more detail on its cost," + bodyEN},
			{`\bwe have a (?:small|quick) favou?r to ask\b`, "Since you made it this far, we have a small favor to ask.", "He said he had a small favour to ask of the council before the vote," + bodyEN},
			{`\bour (?:[\w-]+ ){0,3}fundraising (?:campaign|drive|effort|appeal)\b`, "We're in the midst of our end-of-year fundraising campaign.", "Police said the charity's fundraising campaign had been suspended while they investigated," + bodyEN},
			{`\bconsider (?:pitching|chipping) in\b`, "Please consider pitching in what you can.", "Neighbours were asked to consider the plan before the council met again in spring," + bodyEN},
			{`\bevery (?:dollar|pound|euro) you (?:give|donate)\b`, "Every dollar you give is matched.", "The auditor said every dollar the city spent on the bridge had been accounted for," + bodyEN},
			{`\bevery contribution\b`, "Every contribution, however big or small, matters.", "The auditor said every contribution to the pension fund had been recorded correctly since 2019," + bodyEN},
			{"~" + `\byour support\b`, "Thank you for your support!", "The minister thanked the farmers for their patience and your support was mentioned only once," + bodyEN},
			{`\bthank you for your support\b`, "Thank you for your support.", "The coach thanked the fans for their support at the press conference after the match," + bodyEN},
			{`\bfunded by (?:readers|sponsors|member)`, "This newsroom is funded by readers like you.", "The study, funded by the national research council, looked at 4,000 households in the north," + bodyEN},
			{`\breader[- ]funded\b`, "We are reader-funded.", "The report compared reader-funded newspapers with those owned by large groups across 12 countries," + bodyEN},
			{"~" + `\bwe rely on\b`, "We rely on you.", "Farmers say we rely on rain more than on irrigation in this part of the country," + bodyEN},
			{`\bplease (?:consider )?(?:support|donate|contribute)`, "Please consider supporting our work.", "The charity said that people should please donate only through its official website to avoid fraud," + bodyEN},
			{`\b(?:monthly|one-time|annual) (?:gift|donation|contribution)s?\b`, "Choose a monthly gift", "The annual contribution of member states to the budget was approved," + bodyEN},
			{`\bmember donations\b`, "Powered by member donations.", "The party's accounts showed that member donations fell by a third last year," + bodyEN},
			{`\bsupport (?:starting )?from just\b`, "Support from just $2 a month.", "The regional support for the plan was clear from just one look at the results," + bodyEN},
			{`поддерж(?:ите|ать) (?:нас|редакци|независим|проект)`, "Поддержите нас!", "Губернатор пообещал поддержать фермеров, пострадавших от засухи," + bodyRU},
			{"~" + `пожертвова`, "Пожертвовать", "Фонд собрал пожертвования на восстановление школы и передал их администрации района," + bodyRU},
			{"~" + `задонат`, "Задонатить", "Блогер признался, что задонатил крупную сумму стримеру, но позже пожалел об этом," + bodyRU},
			{`дорогие читатели`, "Дорогие читатели!", "Письмо, начинавшееся словами о читателях газеты, зачитали на заседании суда," + bodyRU},
			{`ваша поддержка`, "Ваша поддержка очень важна для нас.", "Министр сказал, что поддержка фермеров остаётся главным приоритетом правительства," + bodyRU},
			{`підтрима(?:йте|ти) (?:нас|редакці|незалежн|проєкт|проект)`, "Підтримайте нас!", "Уряд пообіцяв підтримати фермерів, які постраждали від посухи," + bodyUK},
			{`дорогі читачі`, "Дорогі читачі!", "Лист, що починався словами про читачів газети, зачитали в суді," + bodyUK},
			{`ваша підтримка`, "Ваша підтримка дуже важлива.", "Міністр сказав, що підтримка фермерів залишається головним пріоритетом уряду," + bodyUK},
			{"~" + `\bдонат`, "Донат", "Волонтери передали армії дрони, придбані за кошти благодійного марафону," + bodyUK},
			{`후원(?:하기|해|금|회원)`, "후원하기", "정부는 올해 국방 예산을 늘리기로 했다고 밝혔다." + bodyKO},
			{`\bunterstützen sie (?:uns|unsere arbeit|unabhängigen journalismus)\b`, "Unterstützen Sie unabhängigen Journalismus!", "Die Regierung will die Landwirte mit einem neuen Programm unterstützen, sagte der Minister am Dienstag nach einer langen Debatte im Parlament über den Haushalt des kommenden Jahres."},
			{`\bsoutenez(?:-nous| nous| notre (?:travail|journalisme)| un journalisme indépendant)\b`, "Soutenez-nous dès aujourd'hui.", "Le ministre a promis de soutenir les agriculteurs touchés par la sécheresse, a indiqué mardi le gouvernement après un long débat à l'Assemblée sur le budget de l'année prochaine."},
			{`\bapoya (?:a nuestro|nuestro|el) periodismo\b`, "Apoya nuestro periodismo independiente.", "El ministro prometió apoyar a los agricultores afectados por la sequía, informó el martes el gobierno tras un largo debate en el Congreso sobre el presupuesto del próximo año."},
		}},
		{"adblock", []lexEntry{
			{`\bad ?blocker\b`, "It looks like you're using an ad blocker.", "Publishers say the use of ad blockers has cut their income, a survey of media companies found, though the share of readers using them has stopped growing," + bodyEN},
			{`\badblocking\b`, "Please disable adblocking software.", "The report found that adblocking had spread fastest among younger readers in northern Europe," + bodyEN},
			{`\benable ads\b`, "Please enable ads on our site.", "The new law would enable advertisers to target users by age, critics warned," + bodyEN},
			{`\bturn off your ad`, "Turn off your ad blocker to continue.", "Engineers said the switch would turn off your advert displays overnight to save power," + bodyEN},
			{`\bwhitelist (?:us|our site)\b`, "Whitelist us to keep reading.", "The ministry published a whitelist of approved suppliers for hospitals in the region," + bodyEN},
		}},
		{"paywall", []lexEntry{
			{`\bclick here to (?:subscribe|sign up|register)\b`, "Click here to subscribe", "Users who click here to register a complaint are sent to a form that asks for their address, the regulator said," + bodyEN},
			{`доступн\p{L}* (?:лише|тільки) (?:для )?передплатник|щоб (?:читати далі|продовжити читання)`, "Цей матеріал доступний лише передплатникам", "Доступ до архівів відкрили лише для дослідників і журналістів," + bodyUK},
			{`유료 ?(?:회원|구독(?:자)?) ?전용|로그인 후 (?:이용|열람)|구독하고 전체 ?기사`, "이 기사는 유료 회원 전용입니다", "정부는 회원국 전용 회의를 열었다." + bodyKO},
			{`\bcreate a free account\b|\b(?:reached|used up) your (?:limit|allowance) of free (?:articles|stories)\b|\bcontinue reading with (?:a|an|your) (?:subscription|account|membership)\b`, "You have reached your limit of free articles.", "Libraries said readers had reached the limit of free loans allowed each month," + bodyEN},
			{`^start (?:your|a) (?:free )?subscription\b`, "Start your subscription", "Netflix will start a subscription tier with advertising in March."},
			{`\bsubscribe (?:to (?:continue|read|keep)|now|today|for)\b`, "Subscribe now for full access.", "Readers could no longer subscribe to the print edition in rural areas after the distributor closed," + bodyEN},
			{`\bbecome a paid (?:subscriber|member)\b`, "Become a paid subscriber to unlock this piece.", "She said she would become a paid member of the club only after the board changed its rules," + bodyEN},
			{`\bto unlock (?:this|the (?:full|rest of the)) (?:piece|article|story|post|essay)\b`, "Subscribe to unlock this article and learn about:", "Investigators hoped the codes would help to unlock the rest of the case, the police said," + bodyEN},
			{`\balready (?:a subscriber|have an account|subscribed)\b`, "Already a subscriber? Log in.", "The service said it already had an account of the incident from the pilot and would publish it," + bodyEN},
			{`\bunlimited (?:digital )?access\b`, "Get unlimited digital access.", "The treaty gives inspectors unlimited access to the sites, diplomats said," + bodyEN},
			{"~" + `\bfree trial\b`, "Start your free trial", "The drug will be tested in a free trial open to patients over 60 at six hospitals," + bodyEN},
			{`\b\d+ days free\b`, "Try 30 days free", "Visitors will get 30 days free parking near the stadium during the works," + bodyEN},
			{`\bsubscribers? only\b`, "Subscribers only", "The club's events, once for subscribers only, are now open to everyone in the town," + bodyEN},
			{`\bto (?:view|read|see) the (?:full|whole|rest of the) (?:story|article)\b`, "To view the full story, please subscribe.", "Researchers said it was hard to see the full story of the collapse from the documents alone," + bodyEN},
			{`\bjoin now\b`, "Join now", "Countries that join now will pay lower fees than those joining later, the bank said," + bodyEN},
			{`\b(?:join|subscribe) (?:now )?or (?:renew|log ?in|sign ?in)\b`, "Join or renew to get:", "Members can join or leave the scheme at any time, the pension fund explained," + bodyEN},
			{`\bchoose (?:a|your) (?:\$|€|£)?\d*\s*(?:annual|monthly|digital|yearly)? ?(?:subscription|plan|membership)\b`, "You can choose a $60 Annual Subscription.", "Families should choose a school that is close to home, the education minister advised," + bodyEN},
			{`\b(?:member|subscriber) (?:perks|benefits)\b`, "Member benefits include:", "The union negotiated better member benefits for nurses in the new contract," + bodyEN},
			{`\b(?:\$|€|£)\d+(?:\.\d\d)? (?:a|per|/) ?(?:month|year|week)\b.{0,40}\b(?:subscri|cancel anytime|access)`, "Just $1 a week for digital access. Cancel anytime.", "Rents rose to $1,200 a month in the city centre, the agency said," + bodyEN},
			{`\bonline-подписка\b`, "Online-подписка", "Редакция сообщила, что подписка на печатную версию газеты подорожает с января," + bodyRU},
			{`оформите подписку`, "Оформите подписку, чтобы читать дальше.", "Жители жаловались, что оформить подписку на газету на почте стало невозможно," + bodyRU},
			{`доступ(?:ен|на|но)? только (?:по подписке|подписчикам|для подписчиков)`, "Материал доступен только подписчикам.", "Министерство заявило, что доступ к архиву будет открыт для всех исследователей," + bodyRU},
			{`оформіть передплату`, "Оформіть передплату, щоб читати далі.", "Мешканці скаржилися, що передплатити газету на пошті стало неможливо," + bodyUK},
			{`구독문의`, "구독문의 02-1234-5678", "구독자 수가 크게 늘었다고 회사는 밝혔다." + bodyKO},
			{`\bjetzt (?:abonnieren|testen)\b`, "Jetzt abonnieren und weiterlesen", "Die Zeitung will ihre Abonnenten in Zukunft besser informieren, sagte der Verlag am Dienstag nach einer langen Sitzung des Aufsichtsrats über die Zukunft des Hauses."},
			{`\babonnez-vous\b`, "Abonnez-vous pour lire la suite", "Le journal compte désormais plus d'abonnés numériques que de lecteurs du papier, a indiqué mardi la direction après une longue réunion du conseil d'administration."},
			{`\bsuscríbete (?:para|y) (?:seguir|leer|continuar)`, "Suscríbete para seguir leyendo", "El periódico tiene ya más suscriptores digitales que lectores en papel, informó el martes la dirección tras una larga reunión del consejo de administración."},
		}},
		{"promotion", []lexEntry{
			{`\b(?:get|download) (?:the|our) (?:free )?app\b|скачайте (?:наше )?приложение|завантажте (?:наш )?(?:застосунок|додаток)|앱 ?다운로드`, "Download our app", "Drivers must download the city's parking application before they pay, the council said," + bodyEN},
			{`\bjoin (?:the|our) (?:live )?(?:q&a|webinar|livestream|panel|discussion) (?:on|via) (?:zoom|youtube|teams|facebook)\b`, "Join the live Q&A on Zoom", "Residents who join the panel on housing will be paid, the council said," + bodyEN},
			{`\brsvp (?:for|to|now|here|today)\b`, "RSVP for our Zoom panel on housing.", "Guests were asked to reply to the invitation by Friday, the embassy said," + bodyEN},
			{`\bregister (?:now|today|here)\b`, "Register now", "Voters who have moved must register again at their new address, officials said," + bodyEN},
			{`зарегистрируйтесь на (?:наш |нашу )?(?:вебинар|онлайн-трансляцию|трансляцию|мероприятие|конференцию|дискуссию)`, "Зарегистрируйтесь на наш вебинар в четверг.", "Избирателям, сменившим адрес, придётся зарегистрироваться на участке заново," + bodyRU},
			{`зареєструйтеся на (?:наш |нашу )?(?:вебінар|онлайн-трансляцію|трансляцію|захід|конференцію|дискусію)`, "Зареєструйтеся на наш вебінар у четвер.", "Виборцям, які змінили адресу, доведеться зареєструватися на дільниці знову," + bodyUK},
			{`웨비나 ?(?:참가 ?)?(?:신청|사전 ?등록)|사전 ?등록하세요`, "웨비나 사전 등록하세요", "시는 웨비나에 참석한 교사 300명에게 수료증을 발급했다." + bodyKO},
			{`\bjoin (?:us|our) (?:for (?:a|our|the) )?(?:webinar|live (?:event|chat|q&a)|virtual (?:event|panel))\b`, "Join our webinar on Thursday.", "The webinar was attended by 300 teachers from across the region," + bodyEN},
			{`\b(?:get|buy) (?:your )?tickets (?:now|today|here)\b`, "Get your tickets now!", "Fans who bought tickets last year will get a refund, the club said," + bodyEN},
			{`\bsave (?:the|your) (?:date|seat|spot)\b`, "Save your seat", "The airline said passengers could save a seat for a child under two at no cost," + bodyEN},
			{`регистрируйтесь|зарегистрируйтесь`, "Зарегистрируйтесь на вебинар", "Избиратели, сменившие адрес, должны повторно пройти регистрацию," + bodyRU},
			{`зареєструйтеся`, "Зареєструйтеся на вебінар", "Виборці, які змінили адресу, мають повторно пройти реєстрацію," + bodyUK},
			{`(?:참가|사전) ?신청(?:하기|하세요)`, "사전 신청하세요", "신청자 수가 크게 늘었다고 주최 측은 밝혔다." + bodyKO},
		}},
		{"newsletter", []lexEntry{
			{`узнавайте (?:первыми|обо всём)|(?:отримуйте|доставляємо) .{0,40}(?:на пошту|на свою пошту|на email|на e-mail)`, "Отримуйте головні новини на пошту", "Отримувачі допомоги з пошти скаржилися на затримки," + bodyUK},
			{`\bsign up (?:for|to) (?:our|the)\b`, "Sign up for our morning briefing", "Volunteers can sign up for the clean-up at the town hall, where lists will be kept until Friday," + bodyEN},
			{"~" + `\bnewsletters?\b`, "Newsletter", "The minister announced the plan in a newsletter sent to party members on Friday evening," + bodyEN},
			{`\b(?:delivered )?(?:to|in) your (?:inbox|mailbox)\b`, "The best stories, delivered to your inbox.", "Ballots will arrive in your mailbox by the end of the month, the election office said," + bodyEN},
			{`\bsubscribers agree\b`, "By subscribing, subscribers agree to our terms.", "Most subscribers agreed with the decision in a poll, the cable company said," + bodyEN},
			{"~" + `\bprivacy policy\b`, "Privacy Policy", "The regulator ordered the company to rewrite its privacy policy within three months," + bodyEN},
			{`\bnever miss (?:a|the|another)\b`, "Never miss a story.", "Supporters say they never missed the team's home games in 40 years," + bodyEN},
			{`\benter your e-?mail\b`, "Enter your email", "Users were told to enter their email when the system failed," + bodyEN},
			{"~" + `\be-?mail address\b`, "Email address", "Police said the suspect used a false email address to rent the flat in the city centre," + bodyEN},
			{"~" + `рассылк`, "Рассылка", "Министерство начало рассылку писем всем школам региона о новых правилах приёма," + bodyRU},
			{`на (?:свой |ваш )?электронн\p{L}* (?:адрес|почт)`, "Получайте новости на электронную почту", "Министерство разослало письма всем школам региона о новых правилах приёма детей в первый класс," + bodyRU},
			{`(?:доставляем|получайте) .{0,40}(?:в почту|на почту|на свой)`, "Получайте главное на почту", "Почтальоны доставляют пенсии на дом в отдалённых сёлах," + bodyRU},
			{"~" + `розсилк`, "Розсилка", "Міністерство почало розсилку листів усім школам регіону про нові правила прийому," + bodyUK},
			{"~" + `뉴스레터`, "뉴스레터 구독", "회사는 신제품을 발표했다." + bodyKO},
			{`\bnewsletter abonnieren\b`, "Newsletter abonnieren", "Der Minister kündigte den Plan in einem Rundbrief an die Parteimitglieder an, sagte ein Sprecher am Dienstag nach einer langen Sitzung des Vorstands in Berlin."},
			{`\binscrivez-vous à (?:notre|la) newsletter\b`, "Inscrivez-vous à notre newsletter", "Le ministre a annoncé le plan dans une lettre envoyée aux militants du parti, a indiqué mardi un porte-parole après une longue réunion du bureau national."},
			{`\bsuscríbete a (?:nuestro|nuestra|el|la) (?:newsletter|boletín)\b`, "Suscríbete a nuestro boletín", "El ministro anunció el plan en un boletín enviado a los militantes del partido, indicó el martes un portavoz tras una larga reunión de la dirección nacional."},
		}},
		{"teaser", []lexEntry{
			{`^(?:read|see) (?:more|also|next)\b`, "Read more: Kremlin denies reports", "Read more widely, the report suggests the ministry had warned of shortages as early as March," + bodyEN},
			{`^(?:watch|listen) (?:more|also|next)\b`, "Watch next: the floods in pictures", "Watchdogs said they would listen more closely to complaints from tenants in future," + bodyEN},
			{`^related(?: (?:articles?|stories|posts|reading|coverage|content|topics|news))?\s*:?$`, "Related posts", "Related charges against two other officials were dropped last year," + bodyEN},
			{`^related (?:articles?|stories|posts|reading|coverage|content|news) (?:from|on|about|in)\b`, "Related coverage from How to Do Everything: Money:", "Related stories from other cities reached the newsroom within hours, and reporters checked each of them before publication," + bodyEN},
			{`^more (?:from|on|stories|news)\b`, "More from Politics", "More than 200 people were evacuated from their homes as the river rose," + bodyEN},
			{`^more:?$`, "More:", "More rain is expected on Thursday across the north of the country," + bodyEN},
			{`^(?:recommended|trending|top stories|editor'?s picks)\b`, "Recommended for you", "Recommended doses of the vaccine were lowered for children under five," + bodyEN},
			{`^most (?:read|viewed|popular|shared)\b`, "Most read", "Most residents had left the village before the storm arrived," + bodyEN},
			{`^you (?:may|might|could) also (?:like|enjoy|be interested)\b`, "You might also be interested in these stories:", "You might also expect the river to rise faster than in 1953, the hydrologist said at the briefing," + bodyEN},
			{`^view all\b`, "View all", "Viewers of all ages watched the final, which drew a record audience," + bodyEN},
			{`^читайте (?:также|материал|нас)\b`, "Читайте также: Губернатор ушёл в отставку", "Губернатор попросил жителей читать официальные сообщения также в социальных сетях," + bodyRU},
			{`^(?:по теме|смотрите также|см\. также|топ \d+ читаемых|главное за день|самое читаемое)\b`, "По теме", "По темпам роста экономики регион опередил соседей," + bodyRU},
			{`^самые (?:интересные|читаемые|полезные|обсуждаемые)`, "Самые читаемые", "Самые большие потери понесли фермеры на юге региона," + bodyRU},
			{`^читайте (?:також|нас)\b`, "Читайте також: Уряд ухвалив бюджет", "Уряд ухвалив бюджет на наступний рік, передбачивши збільшення видатків на оборону," + bodyUK},
			{`^(?:до теми|зверніть увагу|дивіться також|головне за день)`, "Дивіться також", "Дивлячись на результати голосування, опозиція вимагала перерахунку," + bodyUK},
			{`(?:많이 본|관련) ?(?:뉴스|기사)`, "많이 본 뉴스", "국회는 이날 본회의를 열어 예산안을 통과시켰다." + bodyKO},
			{`^(?:함께 (?:보면|볼)|추천 기사)`, "함께 보면 좋은 기사", "국회는 함께 예산안을 처리했다." + bodyKO},
			{`^(?:lesen sie auch|mehr zum thema|das könnte sie auch interessieren)\b`, "Lesen Sie auch: Regierung beschließt Haushalt", "Die Regierung hat den Haushalt beschlossen, wie der Minister am Dienstag nach einer langen Debatte mitteilte, und auch die Opposition stimmte dem Plan zu."},
			{`^(?:à lire aussi|lire aussi|sur le même sujet)\b`, "À lire aussi : le budget adopté", "Le gouvernement a adopté le budget, a indiqué mardi le ministre après un long débat, et l'opposition a aussi voté pour le plan présenté au Parlement."},
			{`^(?:lee también|te puede interesar|noticias relacionadas)\b`, "Lee también: el Gobierno aprueba el presupuesto", "El Gobierno aprobó el presupuesto, informó el martes el ministro tras un largo debate, y la oposición también votó a favor del plan presentado al Congreso."},
		}},
		{"social", []lexEntry{
			{`подпи(?:шитесь|сывайтесь) на (?:наш|нас)|\bjoin (?:us|our) (?:on )?(?:whatsapp|telegram|viber|signal)\b|\bjoin our \w+ (?:channel|community)\b|기자 ?구독`, "Подпишитесь на наш Telegram-канал", "Подписи на нашем обращении собрали за неделю, рассказали активисты," + bodyRU},
			{`\bshare (?:this|on|via|the article|article)\b`, "Share this article", "Shareholders will vote on the merger next month, the company said," + bodyEN},
			{`\bfollow (?:us|me|him|her|them) on\b|\bfollow [\w.@-]+ on (?:twitter|x|facebook|instagram|telegram|tiktok|linkedin|threads|bluesky|mastodon|youtube|whatsapp)\b`, "Follow us on Telegram", "Follow up on RSVPs and contact the guests who have not answered, the planner said," + bodyEN},
			{`\bclick to share\b`, "Click to share on X", "Investors rushed to click to shares in the new fund, brokers said, though trading was halted twice," + bodyEN},
			{`\bjoin (?:us|our \w+ channel) on\b`, "Join our WhatsApp channel on your phone", "Officials said they would join the talks on Friday," + bodyEN},
			{"~" + `\bin telegram\b`, "Read us in Telegram", "The messages, sent in Telegram, were shown to the court as evidence of the plot," + bodyEN},
			{"~" + `\bв telegram\b`, "Мы в Telegram", "Сообщения, отправленные в Telegram, были представлены суду в качестве доказательств," + bodyRU},
			{"~" + `телеграм`, "Наш телеграм-канал", "Сообщения из телеграм-каналов были представлены суду в качестве доказательств," + bodyRU},
			{"~" + `підписуйтесь`, "Підписуйтесь на наш канал", "Лікарі закликали мешканців частіше мити руки та провітрювати приміщення," + bodyUK},
			{"~" + `подписывайтесь`, "Подписывайтесь на наш канал", "Врачи призвали жителей чаще мыть руки и проветривать помещения," + bodyRU},
			{`공유하기`, "공유하기", "정부는 정보를 공유했다." + bodyKO},
		}},
		{"disclosure", []lexEntry{
			// The affiliate disclosure that shops, blogs and review sites
			// put above or below a post ("This post may contain affiliate
			// links"), as regulators require of them.
			{`\b(?:this|our|some|my) (?:post|page|article|site|blog|story|guide|review|video)s? (?:may |might )?(?:contains?|includes?|uses?|features?) affiliate\b`, "This post may contain affiliate links. Please see my disclosure page.", "Regulators said the site's reviews were paid for, and that affiliate deals were never disclosed to readers," + bodyEN},
			{`\bearns? from qualifying purchases\b`, "As an Amazon Associate we earn from qualifying purchases.", "Retailers earn more from purchases made on phones than on computers, a survey of shops found," + bodyEN},
			{`\b(?:buy|purchase|shop) (?:something )?(?:through|via|using) (?:our|the|these|my) links\b`, "When you buy through our links, we may earn a commission.", "Shoppers who buy through the app get a discount, but the links between the two companies worry regulators," + bodyEN},
			{`\bmay (?:earn|receive|get) (?:a |an )?(?:small )?affiliate commission\b`, "Microsoft may earn an Affiliate Commission if you purchase something through recommended links in this article.", "Agents may earn a commission of up to six percent on a sale, the report found, and affiliates less," + bodyEN},
			{`\bat no (?:extra|additional) (?:cost|expense|charge) to you\b`, "I may receive a small commission at no additional cost to you.", "The council will replace the old meters at no extra cost to residents, the mayor said," + bodyEN},
			{`\b(?:enthält|enthalten) (?:sogenannte )?affiliate-links\b|\bliens? (?:d'affiliation|affiliés)\b|\benlaces de afiliados?\b`, "Dieser Beitrag enthält Affiliate-Links.", "Die Behörde prüft, ob die Werbung der Firma gegen das Gesetz verstößt, sagte ein Sprecher am Dienstag nach einer langen Sitzung des Ausschusses in Berlin."},
		}},
		{"credit", []lexEntry{
			// The wire services' and newsrooms' credit line under a story:
			// who reported and edited it, not what it says.
			{`\bcontributed (?:reporting|to this (?:report|story|article))\b`, "Fox News' Jessica Napoli contributed to this report.", "She contributed reports from Kyiv to the network for a decade before she retired," + bodyEN},
			{`^\(?(?:additional )?reporting by\b.{0,200}\b(?:editing|writing|additional reporting) by\b|^\(?additional reporting by\b`, "(Reporting by Will Dunham; Editing by Tom Brown)", "Reporting by the newspaper showed the mayor had hidden the debts, and editing of the accounts followed," + bodyEN},
		}},
		{"cookie", []lexEntry{
			{`쿠키를 (?:사용|이용)|файл(?:ы|и) cookie`, "이 사이트는 쿠키를 사용합니다", "정부는 과자 업체의 가격 인상을 조사했다." + bodyKO},
			{`\b(?:we|this (?:web)?site) uses? cookies\b`, "This website uses cookies.", "Regulators said the company's website uses tracking pixels without consent, and fined it," + bodyEN},
			{`\baccept (?:all )?cookies\b`, "Accept all cookies", "The bakery will accept orders for cookies until Friday, the owner said," + bodyEN},
			{`\bcookie (?:policy|settings|preferences)\b`, "Cookie settings", "The court said the company's policy on cookies broke the law," + bodyEN},
			{"~" + `файлы cookie`, "Мы используем файлы cookie", "Регулятор оштрафовал компанию за использование файлов без согласия пользователей," + bodyRU},
			{`використовує(?:мо)? (?:файли )?cookie`, "Ми використовуємо файли cookie", "Регулятор оштрафував компанію за використання файлів без згоди користувачів," + bodyUK},
			{"~" + `쿠키`, "쿠키 설정", "정부는 개인정보 보호 규정을 강화했다." + bodyKO},
		}},
		{"comments", []lexEntry{
			{`\b(?:sign|log) in to (?:comment|reply)\b|\bcomments are (?:closed|disabled)\b|^leave a (?:comment|reply)\b`, "Comments are closed.", "Residents can leave comments on the plan until Friday, and the council will publish them," + bodyEN},
			{`\b(?:leave|post|add|write) a comment\b`, "Leave a comment", "Officials declined to comment on the report, which was published on Monday," + bodyEN},
			{`\bcomments? \(\d+\)`, "Comments (12)", "The comments of the minister, made in 2019, were cited by the court," + bodyEN},
			{`\b(?:show|view|hide) comments\b`, "Show comments", "The minister's comments were shown on television, and drew criticism," + bodyEN},
			{`\bno comments yet\b`, "No comments yet", "The ministry had no comment yet on the report, a spokesman said," + bodyEN},
			{`\blog ?in to (?:comment|reply)\b`, "Log in to comment", "Users had to log in to the system to reply to the census questions online," + bodyEN},
			{`\bhave your say\b`, "Have your say", "Residents will have their say in a referendum next spring," + bodyEN},
			{"~" + `комментари[йяиев]`, "Комментарии", "Министерство отказалось от комментариев, сославшись на ход расследования," + bodyRU},
			{`авторизуйтесь`, "Авторизуйтесь, чтобы оставить комментарий", "Чиновники отказались авторизовать проведение митинга в центре города," + bodyRU},
			{"~" + `коментар(?:ів|і|ем)\b`, "Коментарі", "У міністерстві відмовилися від коментарів, пославшись на хід розслідування," + bodyUK},
			{`개의 댓글`, "3개의 댓글", "정부는 입장을 밝혔다." + bodyKO},
			{"~" + `댓글`, "댓글", "정부는 입장을 밝혔다." + bodyKO},
		}},
		{"chrome", []lexEntry{
			{`^(?:photo|photos|image|image source|picture|illustration|credit|фото|фотография|иллюстрация|ілюстрація|사진|그래픽)\s*[:=,]\s*\S`, "사진=연합뉴스", "Photos of the flooded streets were shared thousands of times on Tuesday," + bodyEN},
			{`\b(?:story|article) continues (?:below|after)\b|\bscroll to continue\b|продолжение (?:ниже|после рекламы)|продовження (?:нижче|після реклами)`, "Story continues below advertisement", "The story continues next week, when the court hears the second witness," + bodyEN},
			{`^(?:listen to (?:this|the) (?:article|story)|слушать (?:статью|новость|материал)|послухати (?:статтю|новину|матеріал)|기사 ?듣기)`, "Listen to this article", "Listeners to the station's morning programme heard the minister defend the plan," + bodyEN},
			{`ctrl\s*\+\s*enter`, "Ошибка в тексте? Выделите её и нажмите Ctrl+Enter", "Pressing the Control and Enter keys together sends the message, the manual says," + bodyEN},
			{"~" + `\bexternal links?\b`, "External links", "The inquiry found external links between the firm and the minister's family," + bodyEN},
			{`\bfont size\b`, "Font size", "Ballots will be printed in a larger font size for older voters, the election office said," + bodyEN},
			{"~" + `\bcopyright\b`, "Copyright", "The court ruled that the photographs were protected by copyright law and ordered their removal," + bodyEN},
			{`©`, "© 2024 Example Media", "The singer's label said it would defend the recordings in court," + bodyEN},
			{`\ball rights reserved\b`, "All rights reserved.", "The union said all rights reserved to workers under the old contract would remain," + bodyEN},
			{`все права (?:защищены|на материалы)`, "Все права защищены.", "Суд постановил, что права на фотографии принадлежат автору," + bodyRU},
			{`всі права захищені`, "Всі права захищені.", "Суд постановив, що права на фотографії належать автору," + bodyUK},
			{`무단 ?(?:전재|사용|복제)`, "무단 전재 및 재배포 금지", "정부는 규정을 발표했다." + bodyKO},
			{`재배포 금지`, "재배포 금지", "정부는 배포 계획을 발표했다." + bodyKO},
			{"~" + `저작권`, "저작권자", "정부는 법안을 발표했다." + bodyKO},
			{`\blorem ipsum\b`, "Lorem ipsum 1", "The phrase lorem ipsum, a scrambled passage of Cicero, has filled empty layouts since the 1960s, the historian said," + bodyEN},
			{`\b(?:consectetur adipiscing elit|sed do eiusmod tempor|quis nostrud exercitation)\b`, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.", "Printers have set the words consectetur adipiscing elit as filler since the sixteenth century, the historian said," + bodyEN},
			{`\b(?:requires|enable|turn on|activate) javascript\b|\bjavascript (?:is )?(?:required|disabled)\b`, "This slideshow requires JavaScript.", "The new voting machines do not need the internet, and the county said JavaScript was never used in them," + bodyEN},
			{`^\d+\s*-?\s*(?:min(?:ute)?s?|мин(?:ут[аы]?)?|хв(?:илин[аи]?)?|분)\.?\s*(?:read|reading|de lecture|de lectura|de leitura|чтения|читання|lesezeit)\.?$`, "3 MIN. READ", "35 minutes"},
			{`^(?:reading time|read time|время чтения|час читання|lesezeit|temps de lecture|tiempo de lectura|tempo de leitura|읽는 ?시간)\b`, "Tempo de leitura: 2 minutos", "Reading times for children rose during the lockdown, the survey found," + bodyEN},
			{`^(?:loading|загрузка|завантаження|cargando|chargement|wird geladen|로딩 ?중)\s*(?:\.+|…)?$`, "Loading...", "Loading of the ships resumed on Tuesday after the strike ended," + bodyEN},
			{`^loading [\w-]+\s*(?:\.{2,}|…)$`, "Loading paragraph...", "Loading bays at the port reopened... the harbour master said on Tuesday," + bodyEN},
			{`^like loading\s*(?:\.+|…)?$`, "Like Loading...", "Like loading a ship in a storm, the work took all night, the crew said," + bodyEN},
			{`^(?:image|photo|picture|slide|фото|снимок|사진) \d+ (?:of|из|з|/)(?: ?/)? ?\d*$`, "Image 1 of / 23", "Photo 3 of the series shows the mayor at the opening of the bridge," + bodyEN},
			{`^(?:опубликован[оа]?|напечатан[оа]?) в (?:газете|журнале|номере)`, "Опубликован в газете «Вести» №12", "Газета опубликовала интервью с министром в прошлом номере," + bodyRU},
			{`^(?:a version of this (?:article|story) appear(?:s|ed) in print|this (?:article|story) (?:appeared|appears) in the print edition)`, "A version of this article appears in print on May 5.", "The printed version of the law appeared in the official journal on May 5," + bodyEN},
		}},
	}
}

// exactLines are boilerplate labels when they are a whole line or block:
// buttons and headings that many sites print on their own.
func exactLineSource() map[string]string {
	return map[string]string{
		"advertisement": "ad", "advertising": "ad", "ad": "ad", "advert": "ad", "werbung": "ad", "sponsored": "ad", "sponsored content": "ad",
		"реклама": "ad", "광고": "ad", "partner content": "ad", "anzeige": "ad", "publicité": "ad", "publicidad": "ad",
		"share": "social", "tweet": "social", "email": "social", "print": "social", "copy link": "social",
		"comments": "comments", "comment": "comments", "reply": "comments",
		"subscribe": "newsletter", "sign up": "newsletter", "подписаться": "newsletter", "подписка": "newsletter",
		"підписатися": "newsletter", "구독": "newsletter", "구독하기": "newsletter", "нет, спасибо": "newsletter",
		"no, thanks": "newsletter", "no thanks": "newsletter",
		"read more": "teaser", "more": "teaser", "see more": "teaser", "load more": "teaser", "trending": "teaser",
		"once": "donation", "monthly": "donation", "annual": "donation",
		"continue": "chrome", "close": "chrome", "menu": "chrome", "제보하기": "chrome",
		"skip to main content": "chrome", "skip to content": "chrome", "back to top": "chrome", "print this page": "social",
		"email this article": "social", "report an error": "chrome", "send us a tip": "chrome",
		"read the full story": "teaser", "read full story": "teaser", "читать полностью": "teaser", "читати повністю": "teaser", "전체보기": "teaser",
		"поделиться": "social", "поділитися": "social", "공유하기": "social", "скопировать ссылку": "social", "копіювати посилання": "social", "링크 복사": "social",
		"table of contents": "chrome", "contents": "chrome", "in this article": "chrome", "on this page": "chrome",
		"inhaltsverzeichnis": "chrome", "sommaire": "chrome", "índice": "chrome", "содержание": "chrome", "зміст": "chrome", "목차": "chrome",
	}
}
