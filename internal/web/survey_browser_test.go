package web

// The survey in a real Chromium, as respondents take it: every kind of
// survey page passes axe-core's WCAG 2.2 A and AA rules and reflows at 320
// CSS pixels (invariant A1); the whole survey can be taken with JavaScript
// off and with the keyboard alone (A2); errors use the error-summary
// pattern with every answer kept (A3); each page says which language it is
// in, and right-to-left surveys are mirrored (A4). The helpers of
// browser_test.go drive the tab.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/browsertest"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The surveys the tests take: the demo's default survey, a test form in
// Arabic, and the same form said to be in a language the interface does not
// speak.
const (
	barriersSurvey = demo.SurveySlug
	arabicSurvey   = "arabic-rtl"
	arabicForm     = "../survey/testdata/forms/arabic-rtl.md"

	untranslatedSurvey = "untranslated-rtl" // the Arabic form, said to be in Urdu
)

// Headings of the surveys' pages.
const (
	barriersTitle   = "Career barriers in healthtech"
	checkTitle      = "Check your answers before sending them"
	thanksTitle     = "Thank you: your answers have been sent"
	arabicTitle     = "استبيان فعاليات المجموعة المحلية"
	arabicFirstPage = "عنك"
)

// addArabicSurvey imports the Arabic test form and makes it live.
func (s *testSite) addArabicSurvey(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(arabicForm)
	if err != nil {
		t.Fatal(err)
	}
	s.addLiveSurvey(t, arabicForm, string(src))
}

// addUntranslatedSurvey imports the Arabic test form as if it were in
// Urdu, another language written right to left, and one the interface has
// no words for: its buttons and messages are in English.
func (s *testSite) addUntranslatedSurvey(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(arabicForm)
	if err != nil {
		t.Fatal(err)
	}
	if survey.MessageLang("ur") != "en" {
		t.Fatal("the interface now speaks Urdu: choose another language for this test")
	}
	form := strings.NewReplacer("(ar)", "(ur)", "| "+arabicSurvey+" |", "| "+untranslatedSurvey+" |").Replace(string(src))
	s.addLiveSurvey(t, "untranslated.md", form)
}

// addLiveSurvey imports a survey from the XLSForm src and makes it live.
func (s *testSite) addLiveSurvey(t *testing.T, name, src string) {
	t.Helper()
	def, _, err := survey.ReadForm(name, strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.db.ImportSurvey(ctx, store.CommandLine, def); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.SetPhase(ctx, store.CommandLine, def.Settings.ID, survey.Live); err != nil {
		t.Fatal(err)
	}
}

// responses returns every stored response to the survey.
func (s *testSite) responses(t testing.TB, slug string) []survey.Response {
	t.Helper()
	ctx := context.Background()
	sv, err := s.db.Survey(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.db.CountResponses(ctx, sv.ID, store.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []survey.Response
	err = s.db.EachResponse(ctx, sv.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(out) {
		t.Errorf("CountResponses = %d, but EachResponse read %d", n, len(out))
	}
	return out
}

// press clicks the survey button that does action (the value of the
// button: start, next, back, save, submit, change-N), whatever the page's
// language, and returns the status of the page it loads.
func (c *chromeTab) press(t testing.TB, action string) int {
	t.Helper()
	sel := `main button[value="` + action + `"]`
	return c.submitWith(t, "clicking the "+action+" button", chromedp.Click(chromedp.CSS(sel)))
}

// tick clicks the label of the radio or checkbox with the id, as a person
// picks an answer.
func (c *chromeTab) tick(t testing.TB, id string) {
	t.Helper()
	label := `label[for="` + id + `"]`
	if c.count(t, label) != 1 {
		t.Fatalf("%s: no label for #%s to click", c.path(t), id) // rather than wait for one
	}
	if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS(label))); err != nil {
		t.Fatalf("clicking the label of #%s: %v", id, err)
	}
	if !c.checked(t, id) {
		t.Fatalf("clicking the label of #%s did not tick it", id)
	}
}

// checked reports whether the radio or checkbox with the id is ticked.
func (c *chromeTab) checked(t testing.TB, id string) bool {
	t.Helper()
	return eval[bool](t, c, fmt.Sprintf(`!!(document.getElementById(%s) || {}).checked`, jsString(id)))
}

// choose picks the option with the value in the select with the id.
func (c *chromeTab) choose(t testing.TB, id, value string) {
	t.Helper()
	if c.count(t, "select#"+id) != 1 {
		t.Fatalf("%s: no select #%s", c.path(t), id) // rather than wait for one
	}
	if err := chromedp.Do(c.ctx, chromedp.SetValue(chromedp.ID(id), value)); err != nil {
		t.Fatalf("choosing %q in #%s: %v", value, id, err)
	}
}

// heading returns the page's main heading.
func (c *chromeTab) heading(t testing.TB) string {
	t.Helper()
	return c.text(t, "h1")
}

// at fails the test now unless the tab shows the page with the heading:
// a step that follows one that failed would otherwise wait for a field
// that is not there until the tab's time runs out.
func (c *chromeTab) at(t testing.TB, h1 string) {
	t.Helper()
	if got := c.heading(t); got != h1 {
		t.Fatalf("at %s with heading %q, want %q (did an earlier step fail?)", c.path(t), got, h1)
	}
}

// continueTo presses Continue until the page's heading is want, and returns
// how many presses it took. It fails after max.
func (c *chromeTab) continueTo(t testing.TB, want string, max int) int {
	t.Helper()
	for n := 1; n <= max; n++ {
		if status := c.press(t, "next"); status != http.StatusOK {
			t.Fatalf("Continue on the way to %q: status %d on %q; the page says %q", want, status, c.heading(t), c.text(t, "main"))
		}
		if c.heading(t) == want {
			return n
		}
	}
	t.Fatalf("pressed Continue %d times and did not reach %q (at %q)", max, want, c.heading(t))
	return 0
}

// checkLanguage checks that the page says it is in the language, in the
// direction, and that on a page in another language the site's own chrome
// (skip link, header, footer), which is in English, says so (invariant A4).
func (c *chromeTab) checkLanguage(t testing.TB, lang, dir string) {
	t.Helper()
	got := eval[[]string](t, c, `[document.documentElement.getAttribute('lang') || '', document.documentElement.getAttribute('dir') || '']`)
	if got[0] != lang || got[1] != dir {
		t.Errorf("%s: <html lang=%q dir=%q>, want lang=%q dir=%q", c.path(t), got[0], got[1], lang, dir)
	}
	if lang != "en" {
		for _, sel := range []string{"a.govuk-skip-link", "header.govuk-template__header", "footer.govuk-template__footer"} {
			l := eval[[]string](t, c, fmt.Sprintf(`(e => e ? [e.getAttribute('lang') || '', e.getAttribute('dir') || ''] : ['(missing)', ''])(document.querySelector(%s))`, jsString(sel)))
			if l[0] != "en" || l[1] != "ltr" {
				t.Errorf("%s: the site's English %s has lang=%q dir=%q on a page in %s, want lang=\"en\" dir=\"ltr\"", c.path(t), sel, l[0], l[1], lang)
			}
		}
	}
	// Markup shown as text is a template escaping a message marked up
	// with its language.
	if title := eval[string](t, c, `document.title`); strings.Contains(title, "<") {
		t.Errorf("%s: the page's title shows markup as text: %q", c.path(t), title)
	}
	if shown := eval[string](t, c, `(m => { const i = m.indexOf('<'); return i < 0 ? '' : m.slice(Math.max(0, i - 20), i + 60); })(document.body.innerText)`); shown != "" {
		t.Errorf("%s: the page shows markup as text: %q", c.path(t), shown)
	}
}

// unmarkedLatin lists the visible text on the page, in Latin letters, that
// is not inside an element marked lang="en": on a page in a language
// written in another script, that is English text not marked as English.
// Web addresses are left out.
const unmarkedLatin = `(() => {
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) {
    const s = n.textContent.replace(/\s+/g, ' ').trim();
    if (!/[A-Za-z]{2,}/.test(s) || s.includes('://')) continue;
    const e = n.parentElement;
    if (!e.getClientRects().length || e.closest('[aria-hidden="true"], script, style')) continue;
    const l = e.closest('[lang]');
    if (!l || !l.getAttribute('lang').startsWith('en')) {
      out.push((l ? l.getAttribute('lang') : 'no lang') + ': <' + e.tagName.toLowerCase() + (e.id ? ' id=' + e.id : '') + (e.className ? ' class="' + e.className + '"' : '') + '> ' + JSON.stringify(s.slice(0, 80)));
    }
  }
  return out;
})()`

// checkNoUnmarkedEnglish fails the test for English text not marked as
// English on a page in a language not written in Latin letters.
func (c *chromeTab) checkNoUnmarkedEnglish(t testing.TB) {
	t.Helper()
	if found := eval[[]string](t, c, unmarkedLatin); len(found) > 0 {
		t.Errorf("%s: English text not marked lang=\"en\" (invariant A4):\n  %s", c.path(t), strings.Join(found, "\n  "))
	}
}

// inLanguage returns a pageCheck's further checks: the page's language and
// direction, then more.
func inLanguage(c *chromeTab, lang, dir string, more ...func(t *testing.T)) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		c.checkLanguage(t, lang, dir)
		if dir == "rtl" {
			c.checkNoUnmarkedEnglish(t)
		}
		for _, f := range more {
			f(t)
		}
	}
}

// TestSurveyAccessibility takes the surveys in Chromium, with JavaScript
// on, and checks every kind of survey page with axe-core against WCAG 2.2 A
// and AA, and for reflow at 320 CSS pixels: start pages, every page of the
// default survey (with answers that show its conditional questions), pages
// with errors, checking answers, saving and resuming, thanks, closed,
// expired, and pages in Spanish, in Arabic (written right to left), and in a
// right-to-left language whose buttons and messages stay in English.
func TestSurveyAccessibility(t *testing.T) {
	s := surveySite(t)
	s.addArabicSurvey(t)
	s.addUntranslatedSurvey(t)
	start := "/s/" + barriersSurvey

	t.Run("open", func(t *testing.T) {
		t.Run("English", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			en := func(more ...func(t *testing.T)) func(t *testing.T) { return inLanguage(c, "en", "ltr", more...) }
			next := func(t *testing.T) int { return c.press(t, "next") }
			checkPages(t, c, []pageCheck{
				{name: "start", page: start, status: 200, h1: barriersTitle,
					load: func(t *testing.T) int { return c.open(t, start) }, also: en()},
				{name: "start_channel", page: start + "?c=london-hub", status: 200, h1: barriersTitle,
					load: func(t *testing.T) int { return c.open(t, start+"?c=london-hub") },
					also: en(func(t *testing.T) {
						// The link to another language keeps the channel.
						if href := eval[string](t, c, `(document.querySelector('main a[hreflang="es"]') || {}).href || ''`); !strings.Contains(href, "c=london-hub") || !strings.Contains(href, "lang=es") {
							t.Errorf("the link to the survey in Spanish is %q, want it to keep c=london-hub", href)
						}
					})},
				{name: "1_intro", page: "page 1, about this survey (consent)", status: 200, h1: "About this survey",
					load: func(t *testing.T) int { return c.press(t, "start") }, also: en()},
				{name: "1_intro_errors", page: "page 1 after Continue without consent", status: 400, h1: "About this survey",
					load: next, also: en(hasErrorSummary(c), func(t *testing.T) {
						if link := c.text(t, `.govuk-error-summary a[href="#consent"]`); link != "Tick the box if you want to take part" {
							t.Errorf("error summary's link to #consent says %q", link)
						}
						if d := eval[string](t, c, `document.getElementById('consent').getAttribute('aria-describedby') || ''`); !strings.Contains(d, "consent-error") {
							t.Errorf("the consent box is described by %q, want its error message consent-error", d)
						}
						if !strings.HasPrefix(eval[string](t, c, `document.title`), "Error: ") {
							t.Errorf("title %q, want it to start with Error:", eval[string](t, c, `document.title`))
						}
					})},
				{name: "2_work", page: "page 2, you and healthtech", status: 200, h1: "You and healthtech",
					load: func(t *testing.T) int {
						c.at(t, "About this survey")
						c.tick(t, "consent")
						return next(t)
					},
					also: en(func(t *testing.T) {
						// The "Other" choice reveals its description.
						c.tick(t, "role_family-other")
						if !eval[bool](t, c, `!!document.getElementById('role_family_other').offsetParent`) {
							t.Error("ticking Other did not show the box to describe it")
						}
						c.fill(t, "role_family_other", "Health informatics")
					})},
				{name: "3_about_you", page: "page 3, about you", status: 200, h1: "About you", load: next, also: en()},
				{name: "4_more_about_you", page: "page 4, more about you (with its conditional questions)", status: 200, h1: "More about you",
					load: func(t *testing.T) int {
						c.at(t, "About you")
						c.tick(t, "gender-self_describe")
						c.tick(t, "disability") // yes
						return next(t)
					},
					also: en(func(t *testing.T) {
						if c.count(t, "#gender_self") != 1 || c.count(t, `input[name="disability_impact"]`) == 0 {
							t.Error("answering 'another way' and 'yes' did not show the questions that follow from them")
						}
					})},
				{name: "5_held_back", page: "page 5, what has held you back", status: 200, h1: "What has held you back", load: next,
					also: en(func(t *testing.T) {
						c.tick(t, "barriers-no_mentor")
						c.tick(t, "barriers-training_cost")
						c.tick(t, "barriers-other")
						c.fill(t, "barriers_other", "Jargon")
					})},
				{name: "6_biggest", page: "page 6, your biggest barrier (shown after two barriers)", status: 200, h1: "Your biggest barrier", load: next, also: en()},
				{name: "7_belonging", page: "page 7, belonging and fairness (likert)", status: 200, h1: "Belonging and fairness", load: next,
					also: en(func(t *testing.T) { c.tick(t, "belong-agree") })},
				{name: "8_rank", page: "page 8, what would help you (rank)", status: 200, h1: "What would help you", load: next,
					also: en(func(t *testing.T) {
						if n := c.count(t, "main select"); n != 5 {
							t.Errorf("the rank question has %d selects, want 5", n)
						}
					})},
				{name: "8_rank_errors", page: "page 8 after ranking one item of five", status: 400, h1: "What would help you",
					load: func(t *testing.T) int {
						c.at(t, "What would help you")
						c.choose(t, "toolkit_topics", "1")
						return next(t)
					},
					also: en(hasErrorSummary(c), func(t *testing.T) {
						if c.count(t, ".govuk-select--error") == 0 {
							t.Error("the rank's selects are not marked as in error")
						}
						if got := c.value(t, "toolkit_topics"); got != "1" {
							t.Errorf("after the error the first item's position is %q, want 1 kept", got)
						}
					})},
				{name: "9_own_words", page: "page 9, in your own words (multiline text)", status: 200, h1: "In your own words",
					load: func(t *testing.T) int {
						c.at(t, "What would help you")
						for i, item := range []string{"toolkit_topics", "toolkit_topics-rank-tech_skills", "toolkit_topics-rank-roles_routes", "toolkit_topics-rank-confidence", "toolkit_topics-rank-meet_people"} {
							c.choose(t, item, fmt.Sprint(i+1))
						}
						return next(t)
					}, also: en()},
				{name: "10_end", page: "page 10, thank you (a note)", status: 200, h1: "Thank you", load: next, also: en()},
				{name: "check", page: "check your answers", status: 200, h1: checkTitle, load: next,
					also: en(func(t *testing.T) {
						if n := c.count(t, "main .govuk-summary-list__row"); n < 20 {
							t.Errorf("check your answers lists %d answers, want every question shown (20 or more)", n)
						}
					})},
				{name: "thanks", page: "thanks, after sending", status: 200, h1: thanksTitle,
					load: func(t *testing.T) int { return c.press(t, "submit") }, also: en()},
			})
		})

		t.Run("saved and resumed", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			en := func(more ...func(t *testing.T)) func(t *testing.T) { return inLanguage(c, "en", "ltr", more...) }
			var code string
			checkPages(t, c, []pageCheck{
				{name: "saved", page: "saved, after Save and come back later", status: 200, h1: "Your answers are saved",
					load: func(t *testing.T) int {
						c.open(t, start)
						c.press(t, "start")
						c.tick(t, "consent")
						return c.press(t, "save")
					},
					also: en(func(t *testing.T) {
						code = c.text(t, `main p[dir="ltr"]`)
						if len(code) != len("7KQ2-MX9P-4HDW") {
							t.Fatalf("the saved page shows the code %q", code)
						}
					})},
				{name: "resume", page: start + "/resume", status: 200, h1: "Continue your answers",
					load: func(t *testing.T) int { return c.open(t, start+"/resume") }, also: en()},
				{name: "resume_errors", page: "resume with a wrong code", status: 400, h1: "Continue your answers",
					load: func(t *testing.T) int {
						c.at(t, "Continue your answers")
						c.fill(t, "code", "AAAA-BBBB-CCCC")
						return c.clickButton(t, "Continue with my answers")
					},
					also: en(hasErrorSummary(c), func(t *testing.T) {
						if got := c.value(t, "code"); got != "AAAA-BBBB-CCCC" {
							t.Errorf("after a wrong code the field holds %q, want the code typed kept", got)
						}
					})},
				{name: "resumed", page: "the survey, resumed with the right code", status: 200, h1: "About this survey",
					load: func(t *testing.T) int {
						c.at(t, "Continue your answers")
						if err := chromedp.Do(c.ctx, chromedp.Clear(chromedp.ID("code"))); err != nil {
							t.Fatal(err)
						}
						c.fill(t, "code", strings.ToLower(code))
						return c.clickButton(t, "Continue with my answers")
					},
					also: en(func(t *testing.T) {
						if !c.checked(t, "consent") {
							t.Error("the saved answer (consent) is not ticked after resuming")
						}
					})},
			})
		})

		t.Run("Spanish", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			es := func(more ...func(t *testing.T)) func(t *testing.T) { return inLanguage(c, "es", "ltr", more...) }
			checkPages(t, c, []pageCheck{
				{name: "start", page: start + "?lang=es", status: 200, h1: "Barreras profesionales en la tecnología de la salud",
					load: func(t *testing.T) int { return c.open(t, start+"?lang=es") }, also: es()},
				{name: "1_intro", page: "page 1 in Spanish", status: 200, h1: "Sobre esta encuesta",
					load: func(t *testing.T) int { return c.press(t, "start") }, also: es()},
				{name: "1_intro_errors", page: "page 1 in Spanish, after Continue without consent", status: 400, h1: "Sobre esta encuesta",
					load: func(t *testing.T) int { return c.press(t, "next") },
					also: es(hasErrorSummary(c), func(t *testing.T) {
						if got := c.text(t, ".govuk-error-summary__title"); got != "Hay un problema" {
							t.Errorf("error summary's title %q, want it in Spanish", got)
						}
					})},
			})
		})

		t.Run("expired", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			checkPages(t, c, []pageCheck{
				{name: "expired", page: "a survey page sent with a tampered state", status: 400, h1: "This page has expired",
					load: func(t *testing.T) int {
						c.open(t, start)
						c.press(t, "start")
						eval[string](t, c, `(() => {
							const s = document.querySelector('input[name="state"]');
							const [body, sig] = s.value.split('.');
							s.value = body + '.' + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
							return s.value;
						})()`)
						return c.press(t, "next")
					}, also: inLanguage(c, "en", "ltr")},
			})
		})

		t.Run("Arabic", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			ar := func(more ...func(t *testing.T)) func(t *testing.T) { return inLanguage(c, "ar", "rtl", more...) }
			arStart := "/s/" + arabicSurvey
			checkPages(t, c, []pageCheck{
				{name: "start", page: arStart, status: 200, h1: arabicTitle,
					load: func(t *testing.T) int { return c.open(t, arStart) }, also: ar()},
				{name: "1_about", page: "Arabic page 1 (radios, integer)", status: 200, h1: arabicFirstPage,
					load: func(t *testing.T) int { return c.press(t, "start") }, also: ar()},
				{name: "1_about_errors", page: "Arabic page 1 with a number that is not one", status: 400, h1: arabicFirstPage,
					load: func(t *testing.T) int {
						c.at(t, arabicFirstPage)
						c.tick(t, "situation")
						c.fill(t, "years", "abc")
						return c.press(t, "next")
					}, also: ar(hasErrorSummary(c))},
				{name: "2_events", page: "Arabic page 2 (checkboxes, multiline text)", status: 200, h1: "الفعاليات",
					load: func(t *testing.T) int {
						c.at(t, arabicFirstPage)
						if err := chromedp.Do(c.ctx, chromedp.Clear(chromedp.ID("years"))); err != nil {
							t.Fatal(err)
						}
						c.fill(t, "years", "3")
						return c.press(t, "next")
					},
					also: ar(func(t *testing.T) { c.tick(t, "formats-talk") })},
				{name: "check", page: "Arabic check your answers", status: 200, h1: survey.Message("ar", "check.title"),
					load: func(t *testing.T) int { return c.press(t, "next") }, also: ar()},
				{name: "thanks", page: "Arabic thanks", status: 200, h1: survey.Message("ar", "thanks.title"),
					load: func(t *testing.T) int { return c.press(t, "submit") }, also: ar()},
			})
		})
		t.Run("untranslated", func(t *testing.T) {
			t.Parallel()
			c := s.chrome(t)
			ur := func(more ...func(t *testing.T)) func(t *testing.T) { return inLanguage(c, "ur", "rtl", more...) }
			urStart := "/s/" + untranslatedSurvey
			checkPages(t, c, []pageCheck{
				{name: "start", page: urStart + " (a language the interface does not speak)", status: 200, h1: arabicTitle,
					load: func(t *testing.T) int { return c.open(t, urStart) }, also: ur()},
				{name: "1_about", page: "untranslated page 1", status: 200, h1: arabicFirstPage,
					load: func(t *testing.T) int { return c.press(t, "start") }, also: ur()},
				{name: "1_about_errors", page: "untranslated page 1 with a number that is not one", status: 400, h1: arabicFirstPage,
					load: func(t *testing.T) int {
						c.at(t, arabicFirstPage)
						c.fill(t, "years", "abc")
						return c.press(t, "next")
					}, also: ur(hasErrorSummary(c))},
				{name: "check", page: "untranslated check your answers", status: 200, h1: checkTitle,
					load: func(t *testing.T) int {
						c.at(t, arabicFirstPage)
						if err := chromedp.Do(c.ctx, chromedp.Clear(chromedp.ID("years"))); err != nil {
							t.Fatal(err)
						}
						c.continueTo(t, checkTitle, 3) // fails unless each page is 200
						return http.StatusOK
					}, also: ur()},
			})
		})
	})

	// Last, as it closes the survey the others take.
	t.Run("closed", func(t *testing.T) {
		if _, err := s.db.SetPhase(context.Background(), store.CommandLine, barriersSurvey, survey.Closed); err != nil {
			t.Fatal(err)
		}
		c := s.chrome(t)
		checkPages(t, c, []pageCheck{
			{name: "closed", page: start + " (closed)", status: http.StatusGone, h1: "This survey has closed",
				load: func(t *testing.T) int { return c.open(t, start) }, also: inLanguage(c, "en", "ltr")},
		})
	})
}

// TestTakeSurveyWithoutJavaScript takes the whole survey with JavaScript
// off, from a hub's share link, answering a question of each kind, going
// back, changing an answer from the check page, and sending (invariant A2).
func TestTakeSurveyWithoutJavaScript(t *testing.T) {
	s := surveySite(t)
	c := s.chromeNoJS(t)

	c.open(t, "/s/"+barriersSurvey+"?c=london-hub")
	c.checkDesign(t) // styled, and the page's script did not run
	if status := c.clickButton(t, "Start now"); status != http.StatusOK || c.heading(t) != "About this survey" {
		t.Fatalf("Start now: status %d, heading %q", status, c.heading(t))
	}
	c.tick(t, "consent")

	c.continueTo(t, "You and healthtech", 1)
	c.tick(t, "status") // I work in or close to healthtech now
	// Without JavaScript the box to describe "Other" is always shown.
	if !eval[bool](t, c, `!!document.getElementById('role_family_other').offsetParent`) {
		t.Fatal("without JavaScript, the box to describe Other is hidden")
	}
	c.tick(t, "role_family-other")
	c.fill(t, "role_family_other", "Health informatics")
	c.fill(t, "experience_years", "7")
	c.tick(t, "country") // United Kingdom
	c.tick(t, "hub")     // London

	c.continueTo(t, "About you", 1)
	c.tick(t, "gender-self_describe")
	c.tick(t, "disability") // yes

	c.continueTo(t, "More about you", 1)
	c.fill(t, "gender_self", "Genderfluid")
	c.tick(t, "disability_impact-a_little")
	c.tick(t, "caring-children")
	c.tick(t, "caring-adult")

	c.continueTo(t, "What has held you back", 1)
	c.tick(t, "barriers-no_mentor")
	c.tick(t, "barriers-training_cost")
	c.tick(t, "barriers-other")
	c.fill(t, "barriers_other", "Jargon")

	// Back: the answers on both pages are kept.
	if status := c.press(t, "back"); status != http.StatusOK || c.heading(t) != "More about you" {
		t.Fatalf("Back: status %d, heading %q, want More about you", status, c.heading(t))
	}
	if got := c.value(t, "gender_self"); got != "Genderfluid" {
		t.Errorf("after Back, gender_self holds %q, want it kept", got)
	}
	for _, id := range []string{"disability_impact-a_little", "caring-children", "caring-adult"} {
		if !c.checked(t, id) {
			t.Errorf("after Back, #%s is not ticked, want it kept", id)
		}
	}
	c.continueTo(t, "What has held you back", 1)
	for _, id := range []string{"barriers-no_mentor", "barriers-training_cost", "barriers-other"} {
		if !c.checked(t, id) {
			t.Errorf("after Back and Continue, #%s is not ticked, want it kept", id)
		}
	}
	if got := c.value(t, "barriers_other"); got != "Jargon" {
		t.Errorf("after Back and Continue, barriers_other holds %q, want it kept", got)
	}

	c.continueTo(t, "Your biggest barrier", 1)
	c.tick(t, "biggest_barrier-no_mentor")

	c.continueTo(t, "Belonging and fairness", 1)
	c.tick(t, "belong-agree")
	c.tick(t, "promotion_fair-disagree")

	c.continueTo(t, "What would help you", 1)
	for id, pos := range map[string]string{
		"toolkit_topics":                   "2", // mentor
		"toolkit_topics-rank-tech_skills":  "5",
		"toolkit_topics-rank-roles_routes": "3",
		"toolkit_topics-rank-confidence":   "1",
		"toolkit_topics-rank-meet_people":  "4",
	} {
		c.choose(t, id, pos)
	}

	c.continueTo(t, "In your own words", 1)
	c.fill(t, "barrier_story", "Line one\nLine two")

	c.continueTo(t, checkTitle, 2)
	shown := c.text(t, "main")
	for _, answer := range []string{"Other: Health informatics", "Genderfluid", "Not having a mentor or sponsor The cost of training or qualifications Other: Jargon", "1. Building confidence 2. Finding a mentor", "Line one Line two"} {
		if !strings.Contains(shown, answer) {
			t.Errorf("check your answers does not show %q", answer)
		}
	}

	// Change the years of experience, then come back to check.
	change := `//main//div[contains(@class,"govuk-summary-list__row")][dt[contains(., "How many years")]]//button`
	if status := c.submitWith(t, "clicking Change for experience_years", chromedp.Click(chromedp.Search(change))); status != http.StatusOK || c.heading(t) != "You and healthtech" {
		t.Fatalf("Change: status %d, heading %q, want the page with the question", status, c.heading(t))
	}
	if got := c.value(t, "experience_years"); got != "7" {
		t.Errorf("Change shows experience_years %q, want 7 kept", got)
	}
	if err := chromedp.Do(c.ctx, chromedp.Clear(chromedp.ID("experience_years"))); err != nil {
		t.Fatal(err)
	}
	c.fill(t, "experience_years", "8")
	n := c.continueTo(t, checkTitle, 12)
	t.Logf("after Change, Continue pressed %d times to come back to check your answers", n)

	status := c.clickButton(t, "Send my answers")
	if status != http.StatusOK || c.heading(t) != thanksTitle || c.path(t) != "/s/"+barriersSurvey+"/thanks" {
		t.Fatalf("Send: status %d at %s, heading %q; want the thanks page", status, c.path(t), c.heading(t))
	}
	c.checkDesign(t)

	rs := s.responses(t, barriersSurvey)
	if len(rs) != 1 {
		t.Fatalf("%d responses stored, want 1", len(rs))
	}
	r := rs[0]
	if r.Channel != "london-hub" || r.Phase != survey.Live || r.Language != "en" {
		t.Errorf("stored response: channel %q, phase %q, language %q; want london-hub, live, en", r.Channel, r.Phase, r.Language)
	}
	want := survey.Answers{
		"consent":           "OK",
		"status":            "current",
		"role_family":       "other",
		"role_family_other": "Health informatics",
		"experience_years":  "8",
		"country":           "uk",
		"hub":               "london",
		"gender":            "self_describe",
		"disability":        "yes",
		"gender_self":       "Genderfluid",
		"disability_impact": "a_little",
		"caring":            "children adult",
		"barriers":          "no_mentor training_cost other",
		"barriers_other":    "Jargon",
		"biggest_barrier":   "no_mentor",
		"belong":            "agree",
		"promotion_fair":    "disagree",
		"toolkit_topics":    "confidence mentor roles_routes meet_people tech_skills",
		"barrier_story":     "Line one\nLine two", // line breaks kept as \n, however the browser sends them
	}
	if diff := cmp.Diff(want, r.Answers); diff != "" {
		t.Errorf("stored answers (-want +got):\n%s", diff)
	}
}

// tabUntil presses Tab until the focused element is the one wanted, and
// returns the elements focused on the way. It fails the test after max
// presses. (browsertest.TabTo does the same for an element with an id.)
func tabUntil(t testing.TB, c *chromeTab, what string, max int, want func(browsertest.Element) bool) []browsertest.Element {
	t.Helper()
	var path []browsertest.Element
	for range max {
		browsertest.PressTab(t, c.ctx)
		e := browsertest.Focused(t, c.ctx)
		path = append(path, e)
		if want(e) {
			return path
		}
	}
	t.Fatalf("%s: %s not focused after pressing Tab %d times; focus went:\n%s", c.path(t), what, max, browsertest.FormatPath(path))
	return nil
}

// isButton reports whether the element is a button that says label.
func isButton(label string) func(browsertest.Element) bool {
	return func(e browsertest.Element) bool { return e.Tag == "button" && e.Text == label }
}

// hasID reports whether the element has the id.
func hasID(id string) func(browsertest.Element) bool {
	return func(e browsertest.Element) bool { return e.ID == id }
}

// enter presses Enter on the focused element, which should load a page,
// and returns the page's status.
func (c *chromeTab) enter(t testing.TB, what string) int {
	t.Helper()
	return c.submitWith(t, "pressing Enter on "+what, browsertest.Key(kb.Enter))
}

// TestTakeSurveyByKeyboard takes the survey with the keyboard alone, with
// JavaScript on: Tab, Shift+Tab, Space, Enter, arrow keys and typing, and
// nothing picked by selector or clicked.
func TestTakeSurveyByKeyboard(t *testing.T) {
	s := surveySite(t)
	c := s.chrome(t)

	c.open(t, "/s/"+barriersSurvey)
	tabUntil(t, c, "Start now", 15, isButton("Start now"))
	if status := c.enter(t, "Start now"); status != http.StatusOK || c.heading(t) != "About this survey" {
		t.Fatalf("Enter on Start now: status %d, heading %q", status, c.heading(t))
	}

	// Page 1: tick the consent box with Space.
	tabUntil(t, c, "the consent box", 15, hasID("consent"))
	browsertest.PressSpace(t, c.ctx)
	if !c.checked(t, "consent") {
		t.Fatal("Space on the consent box did not tick it")
	}
	tabUntil(t, c, "Continue", 10, isButton("Continue"))
	if status := c.enter(t, "Continue"); status != http.StatusOK || c.heading(t) != "You and healthtech" {
		t.Fatalf("Enter on Continue: status %d, heading %q, want page 2; the page says %q", status, c.heading(t), c.text(t, "main"))
	}

	// Page 2: a radio group with the arrow keys, a number typed wrong,
	// the error summary, then the number typed right.
	tabUntil(t, c, "the first answer to 'which describes you best'", 15, hasID("status"))
	browsertest.Press(t, c.ctx, kb.ArrowDown)
	if f := browsertest.Focused(t, c.ctx); f.ID != "status-former" || !c.checked(t, "status-former") {
		t.Errorf("ArrowDown in the radio group: focus on %s, want the second answer focused and ticked", f)
	}
	tabUntil(t, c, "the years of experience", 10, hasID("experience_years"))
	browsertest.Type(t, c.ctx, "lots")
	tabUntil(t, c, "Continue", 10, isButton("Continue"))
	if status := c.enter(t, "Continue"); status != http.StatusBadRequest {
		t.Fatalf("Continue with 'lots' years: status %d, want 400; the page says %q", status, c.text(t, "main"))
	}
	if !browsertest.FocusWithin(t, c.ctx, ".govuk-error-summary") {
		t.Fatalf("after an error, focus is on %s, want the error summary", browsertest.Focused(t, c.ctx))
	}
	browsertest.PressTab(t, c.ctx)
	if f := browsertest.Focused(t, c.ctx); f.Href != "#experience_years" {
		t.Fatalf("Tab from the error summary: focus on %s, want its link to #experience_years", f)
	}
	browsertest.PressEnter(t, c.ctx)
	if f := browsertest.Focused(t, c.ctx); f.ID != "experience_years" || f.Text != "lots" {
		t.Fatalf("Enter on the summary's link: focus on %s, want the field, holding what was typed", f)
	}
	if !c.checked(t, "status-former") {
		t.Error("after the error, the radio answer is not kept")
	}
	browsertest.Press(t, c.ctx, kb.End) // focus puts the caret before what was typed
	for range len("lots") {
		browsertest.Press(t, c.ctx, kb.Backspace)
	}
	browsertest.Type(t, c.ctx, "5")
	tabUntil(t, c, "Continue", 10, isButton("Continue"))
	if status := c.enter(t, "Continue"); status != http.StatusOK || c.heading(t) != "About you" {
		t.Fatalf("Enter on Continue: status %d, heading %q, want page 3; the page says %q", status, c.heading(t), c.text(t, "main"))
	}

	// Every other page: Tab to Continue and Enter.
	for pages := 0; c.heading(t) != checkTitle; pages++ {
		if pages == 10 {
			t.Fatalf("still not at check your answers after %d more pages (at %q)", pages, c.heading(t))
		}
		from := c.heading(t)
		tabUntil(t, c, "Continue", 80, isButton("Continue"))
		if status := c.enter(t, "Continue on "+from); status != http.StatusOK {
			t.Fatalf("Enter on Continue on %q: status %d; the page says %q", from, status, c.text(t, "main"))
		}
	}

	path := tabUntil(t, c, "Send my answers", 80, isButton("Send my answers"))
	t.Logf("Tab pressed %d times to reach Send my answers", len(path))
	if status := c.enter(t, "Send my answers"); status != http.StatusOK || c.heading(t) != thanksTitle {
		t.Fatalf("Enter on Send my answers: status %d, heading %q; the page says %q", status, c.heading(t), c.text(t, "main"))
	}
	rs := s.responses(t, barriersSurvey)
	if len(rs) != 1 {
		t.Fatalf("%d responses stored, want 1", len(rs))
	}
	for q, want := range map[string]string{"consent": "OK", "status": "former", "experience_years": "5"} {
		if got := rs[0].Answers[q]; got != want {
			t.Errorf("stored answer to %s: %q, want %q", q, got, want)
		}
	}
}

// box is an element's place on the page, from getBoundingClientRect.
type box struct {
	Left  float64 `json:"left"`
	Right float64 `json:"right"`
}

// boxOf returns the box of what the script evaluates to, an element or a
// range.
func boxOf(t testing.TB, c *chromeTab, what, script string) box {
	t.Helper()
	b := eval[*box](t, c, `(x => x ? (r => ({left: r.left, right: r.right}))(x.getBoundingClientRect()) : null)(`+script+`)`)
	if b == nil {
		t.Fatalf("%s: no %s on the page", c.path(t), what)
	}
	return *b
}

// textBox is a script for the range of an element's text.
func textBox(selector string) string {
	return fmt.Sprintf(`(e => { if (!e) return null; const r = document.createRange(); r.selectNodeContents(e); return r; })(document.querySelector(%s))`, jsString(selector))
}

// TestSurveyRightToLeft checks that a survey in Arabic is laid out right to
// left: the page says so, its column sits on the right, and radios and
// checkboxes are mirrored, with the box to the right of its label.
func TestSurveyRightToLeft(t *testing.T) {
	s := surveySite(t)
	s.addArabicSurvey(t)
	c := s.chrome(t)
	// A desktop window, where the two-thirds column does not fill the page.
	if err := chromedp.Do(c.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	checkColumn := func(t *testing.T) {
		t.Helper()
		c.checkLanguage(t, "ar", "rtl")
		width := eval[float64](t, c, `document.documentElement.clientWidth`)
		col := boxOf(t, c, "main column", `document.querySelector('main .govuk-grid-column-two-thirds')`)
		if mid := (col.Left + col.Right) / 2; mid <= width/2 || col.Left < width/4 {
			t.Errorf("%s: the main column spans x = %.0f to %.0f in a window %.0f wide; want it on the right half", c.path(t), col.Left, col.Right, width)
		}
		h1 := boxOf(t, c, "heading's text", textBox("main h1"))
		if col.Right-h1.Right > 20 {
			t.Errorf("%s: the heading's text ends at x = %.0f, %.0f pixels short of the column's right edge (%.0f); want it aligned right", c.path(t), h1.Right, col.Right-h1.Right, col.Right)
		}
	}
	mirrored := func(t *testing.T, id string) {
		t.Helper()
		in := boxOf(t, c, "#"+id, fmt.Sprintf(`document.getElementById(%s)`, jsString(id)))
		label := boxOf(t, c, "label of #"+id, textBox(`label[for="`+id+`"]`))
		if in.Left < label.Right {
			t.Errorf("%s: #%s spans x = %.0f to %.0f and its label's text %.0f to %.0f; want the box to the right of the label", c.path(t), id, in.Left, in.Right, label.Left, label.Right)
		}
		// The circle or square people see is the label's ::before, drawn
		// over the input: it must have moved to the right with it.
		drawn := eval[*box](t, c, fmt.Sprintf(`(input => {
			const item = input.parentElement, label = item.querySelector('label');
			const s = getComputedStyle(label, '::before');
			const left = item.getBoundingClientRect().left + parseFloat(s.left);
			return {left, right: left + parseFloat(s.width)};
		})(document.getElementById(%s))`, jsString(id)))
		if drawn == nil {
			t.Fatalf("%s: #%s is not in a radio or checkbox item with a label", c.path(t), id)
		}
		if drawn.Right < in.Left || drawn.Left > in.Right || drawn.Left < label.Right {
			t.Errorf("%s: the box people see for #%s is drawn at x = %.0f to %.0f, not over the input (x = %.0f to %.0f) to the right of the label's text (ending at %.0f)", c.path(t), id, drawn.Left, drawn.Right, in.Left, in.Right, label.Right)
		}
	}

	c.open(t, "/s/"+arabicSurvey)
	if h1 := c.heading(t); h1 != arabicTitle {
		t.Fatalf("start page's heading %q, want %q", h1, arabicTitle)
	}
	checkColumn(t)
	browsertest.CheckAxe(t, c.ctx, "Arabic start page")

	if status := c.press(t, "start"); status != http.StatusOK || c.heading(t) != arabicFirstPage {
		t.Fatalf("start: status %d, heading %q", status, c.heading(t))
	}
	checkColumn(t)
	mirrored(t, "situation")
	mirrored(t, "situation-studying")
	c.checkNoUnmarkedEnglish(t)
	browsertest.CheckAxe(t, c.ctx, "Arabic page 1")

	if status := c.press(t, "next"); status != http.StatusOK || c.heading(t) != "الفعاليات" {
		t.Fatalf("Continue: status %d, heading %q", status, c.heading(t))
	}
	checkColumn(t)
	mirrored(t, "formats")
	browsertest.CheckAxe(t, c.ctx, "Arabic page 2")
}

// submitResult is what a fetch of the survey's form returned.
type submitResult struct {
	Status int    `json:"status"`
	URL    string `json:"url"`
}

// TestSubmitTwice sends the same answers twice, as a double click or a
// retried request would, and checks that one response is stored.
func TestSubmitTwice(t *testing.T) {
	s := surveySite(t)
	c := s.chrome(t)
	toCheck := func(t *testing.T) {
		t.Helper()
		c.open(t, "/s/"+barriersSurvey)
		c.press(t, "start")
		c.tick(t, "consent")
		c.continueTo(t, checkTitle, 12)
	}

	t.Run("two requests at once", func(t *testing.T) {
		toCheck(t)
		if v := eval[string](t, c, `(document.querySelector('main button[value="submit"]') || {dataset: {}}).dataset.preventDoubleClick || ''`); v != "true" {
			t.Errorf("the Send button has data-prevent-double-click=%q, want true", v)
		}
		got, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]submitResult](`(async () => {
			const form = document.querySelector('main form[method="post"]');
			const data = new FormData(form);
			data.set('action', 'submit');
			const send = () => fetch(form.getAttribute('action'), {method: 'POST', body: new URLSearchParams(data)});
			const rs = await Promise.all([send(), send()]);
			return rs.map(r => ({status: r.status, url: r.url}));
		})()`, chromedp.EvalAwaitPromise))
		if err != nil || len(got) != 2 {
			t.Fatalf("sending the form twice with fetch: %v, %v", got, err)
		}
		for i, r := range got {
			if r.Status != http.StatusOK || !strings.Contains(r.URL, "/s/"+barriersSurvey+"/thanks") {
				t.Errorf("request %d: status %d at %s, want both to end on the thanks page", i+1, r.Status, r.URL)
			}
		}
		if n := len(s.responses(t, barriersSurvey)); n != 1 {
			t.Errorf("after sending the same answers twice at once, %d responses stored, want 1", n)
		}
		// And once more, with the button, after the page was left open.
		if status := c.clickButton(t, "Send my answers"); status != http.StatusOK || c.heading(t) != thanksTitle {
			t.Errorf("sending a third time: status %d, heading %q, want the thanks page", status, c.heading(t))
		}
		if n := len(s.responses(t, barriersSurvey)); n != 1 {
			t.Errorf("after sending the same answers three times, %d responses stored, want 1", n)
		}
	})

	t.Run("Enter twice", func(t *testing.T) {
		before := len(s.responses(t, barriersSurvey))
		toCheck(t)
		tabUntil(t, c, "Send my answers", 80, isButton("Send my answers"))
		status := c.submitWith(t, "pressing Enter twice on Send my answers", chromedp.Steps(browsertest.Key(kb.Enter), browsertest.Key(kb.Enter)))
		if status != http.StatusOK || c.heading(t) != thanksTitle {
			t.Errorf("Enter twice on Send: status %d, heading %q, want the thanks page", status, c.heading(t))
		}
		if n := len(s.responses(t, barriersSurvey)) - before; n != 1 {
			t.Errorf("after Enter twice on Send, %d responses stored, want 1", n)
		}
	})
}

// TestSaveRefusedPages checks the pages that say answers could not be
// saved (saved answers have no room left, or one network saved too often)
// with axe-core and for reflow, and that the answers stay on them to send.
func TestSaveRefusedPages(t *testing.T) {
	full := surveySite(t, func(o *Options) { o.DraftBytes = 1 })
	throttled := surveySite(t, func(o *Options) { o.SubmitsPerTen = 1 })
	start := "/s/" + barriersSurvey
	t.Run("no room", func(t *testing.T) {
		t.Parallel()
		c := full.chrome(t)
		checkPages(t, c, []pageCheck{
			{name: "full", page: "a page of questions after Save, with no room for saved answers", status: http.StatusServiceUnavailable,
				h1: "Sobre esta encuesta",
				load: func(t *testing.T) int {
					c.open(t, start+"?lang=es")
					c.press(t, "start")
					c.tick(t, "consent")
					return c.press(t, "save")
				},
				also: inLanguage(c, "es", "ltr", func(t *testing.T) {
					if got := c.text(t, ".govuk-notification-banner__title"); got != survey.Message("es", "save_full.title") {
						t.Errorf("the banner says %q, want it to say the answers cannot be saved", got)
					}
					if !c.checked(t, "consent") {
						t.Error("the answer is not kept on the page")
					}
				})},
			{name: "sent", page: "thanks, after sending the answers that could not be saved", status: http.StatusOK,
				h1: survey.Message("es", "thanks.title"),
				load: func(t *testing.T) int {
					c.continueTo(t, survey.Message("es", "check.title"), 12)
					return c.press(t, "submit")
				}, also: inLanguage(c, "es", "ltr")},
		})
	})
	t.Run("saved too often", func(t *testing.T) {
		t.Parallel()
		c := throttled.chrome(t)
		checkPages(t, c, []pageCheck{
			{name: "throttled", page: "check your answers after a second Save from one network", status: http.StatusTooManyRequests,
				h1: checkTitle,
				load: func(t *testing.T) int {
					c.open(t, start)
					c.press(t, "start")
					c.tick(t, "consent")
					c.continueTo(t, checkTitle, 12)
					if status := c.press(t, "save"); status != http.StatusOK {
						t.Fatalf("the first save: status %d", status)
					}
					c.open(t, start)
					c.press(t, "start")
					c.tick(t, "consent")
					c.continueTo(t, checkTitle, 12)
					return c.press(t, "save")
				},
				also: inLanguage(c, "en", "ltr", func(t *testing.T) {
					if got := c.text(t, ".govuk-notification-banner__title"); got != survey.Message("en", "save_throttled.title") {
						t.Errorf("the banner says %q, want it to say too many answers were saved", got)
					}
				})},
		})
	})
}
