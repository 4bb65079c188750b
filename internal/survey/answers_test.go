package survey_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// testForm is a small survey with one question of each type, in English and
// Spanish.
const testForm = `
| survey |
| | type | name | label::English (en) | label::Español (es) | required | required_message::English (en) | relevant | constraint | constraint_message::English (en) | appearance |
| | begin_group | about | About you | Sobre usted | | | | | | |
| | select_one yn | working | Do you work? | ¿Trabaja? | yes | Say whether you work | | | | |
| | integer | years | Years? | ¿Años? | | | ${working} = 'yes' | . >= 0 and . <= 60 | Enter 0 to 60 | |
| | end_group | | | | | | | | | |
| | select_multiple help or_other | help | What helps? | ¿Qué ayuda? | | | | count-selected(.) <= 2 | Choose up to 2 | |
| | rank order | order | Put in order | Ordene | | | | | | |
| | decimal | score | Score | Puntuación | | | | | | |
| | date | start | When? | ¿Cuándo? | | | | | | |
| | text | story | Tell us | Cuéntenos | | | | string-length(.) <= 20 | 20 letters at most | multiline |
| | acknowledge | ok | I agree | Acepto | yes | | | | | |
| | note | bye | Thanks | Gracias | | | | | | |
| | select_one agree | feel | I belong | Pertenezco | | | | | | likert |
| choices |
| | list_name | name | label::English (en) | label::Español (es) | analysis |
| | yn | yes | Yes | Sí | |
| | yn | no | No | No | |
| | help | mentor | A mentor | Un mentor | |
| | help | course | A course | Un curso | |
| | help | none | None of these | Ninguna | exclusive |
| | order | a | A | A | |
| | order | b | B | B | |
| | order | c | C | C | |
| | agree | agree | Agree | De acuerdo | |
| | agree | disagree | Disagree | En desacuerdo | |
| | agree | prefer_not_to_say | Prefer not to say | Prefiero no decirlo | |
| settings |
| | form_id | form_title::English (en) |
| | test | Test |
`

func mustCompile(t *testing.T, md string) *survey.Definition {
	t.Helper()
	wb, err := survey.ReadMarkdown(strings.NewReader(md))
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := survey.Compile(wb)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckAnswers(t *testing.T) {
	d := mustCompile(t, testForm)
	valid := survey.Answers{"working": "yes", "years": "12", "help": "mentor other", "help_other": "A friend",
		"order": "c a b", "score": "-2.5", "start": "2024-02-29", "story": "short", "ok": "OK", "feel": "agree"}
	tests := []struct {
		name   string
		change survey.Answers // set ("" deletes)
		lang   string
		want   string // the problem with the first question that has one, as "name: message"
	}{
		{"all valid", nil, "en", ""},
		{"required, custom message", survey.Answers{"working": ""}, "en", "working: Say whether you work"},
		{"required, default message, in Spanish", survey.Answers{"ok": ""}, "es", "ok: Marque la casilla para continuar"},
		{"hidden question not checked", survey.Answers{"working": "no", "years": "999"}, "en", ""},
		{"constraint", survey.Answers{"years": "61"}, "en", "years: Enter 0 to 60"},
		{"not a whole number", survey.Answers{"years": "1.5"}, "en", "years: Enter a whole number, like 12"},
		{"not a choice", survey.Answers{"working": "maybe"}, "en", "working: Select one of the answers shown"},
		{"exclusive", survey.Answers{"help": "none mentor"}, "en", "help: Select “None of these” on its own, or untick it"},
		{"exclusive alone is fine", survey.Answers{"help": "none", "help_other": ""}, "en", ""},
		{"constraint on count", survey.Answers{"help": "mentor course other"}, "en", "help: Choose up to 2"},
		{"chosen twice", survey.Answers{"help": "mentor mentor"}, "en", "help: Select one of the answers shown"},
		{"rank incomplete", survey.Answers{"order": "a b"}, "en", "order: Give each item a different position, from 1 to the number of items"},
		{"rank repeated", survey.Answers{"order": "a a b"}, "en", "order: Give each item a different position, from 1 to the number of items"},
		{"not a number", survey.Answers{"score": "lots"}, "en", "score: Enter a number, like 2.5"},
		{"hexadecimal is not a number", survey.Answers{"score": "0x10"}, "en", "score: Enter a number, like 2.5"},
		{"not a real date", survey.Answers{"start": "2023-02-29"}, "en", "start: Enter a real date, like 27 3 2007"},
		{"text constraint", survey.Answers{"story": strings.Repeat("x", 21)}, "en", "story: 20 letters at most"},
		{"acknowledge must be OK", survey.Answers{"ok": "yes"}, "en", "ok: Select one of the answers shown"},
		{"default constraint message, Spanish", survey.Answers{"feel": "sometimes"}, "es", "feel: Elija una de las respuestas que se muestran"},
		{"other too long", survey.Answers{"help_other": strings.Repeat("x", survey.MaxOtherLength+1)}, "en", "help: The answer must be 500 characters or fewer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := survey.Answers{}
			for k, v := range valid {
				a[k] = v
			}
			for k, v := range tc.change {
				if v == "" {
					delete(a, k)
				} else {
					a[k] = v
				}
			}
			_, errs := d.Check(a, tc.lang)
			got := ""
			if len(errs) > 0 {
				got = errs[0].Field + ": " + errs[0].Message
			}
			if got != tc.want {
				t.Errorf("Check(%v) first problem = %q, want %q", tc.change, got, tc.want)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	d := mustCompile(t, testForm)
	a := survey.Answers{"working": "no", "years": "5", "help": "mentor", "help_other": "dropped: Other not chosen",
		"unknown": "x", "bye": "a note has no answer"}
	want := survey.Answers{"working": "no", "help": "mentor"}
	if diff := cmp.Diff(want, d.Visible(a)); diff != "" {
		t.Errorf("Visible (-want +got):\n%s", diff)
	}
}

func TestPages(t *testing.T) {
	d := mustCompile(t, testForm)
	pages := d.Pages()
	var got []string
	for _, p := range pages {
		var names []string
		for _, q := range p.Questions {
			names = append(names, q.Name)
		}
		got = append(got, strings.Join(names, "+"))
	}
	// years depends on working, on the same page, so it moves to a page of
	// its own; questions outside a group get a page each.
	want := []string{"working", "years", "help", "order", "score", "start", "story", "ok", "bye", "feel"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
	a := survey.Answers{"working": "no"}
	if next := d.NextPage(pages, 0, a); next != 2 {
		t.Errorf("NextPage after page 0 when not working = %d, want 2 (the years page is hidden)", next)
	}
	if prev := d.PreviousPage(pages, 2, a); prev != 0 {
		t.Errorf("PreviousPage before page 2 when not working = %d, want 0", prev)
	}
	a["working"] = "yes"
	if next := d.NextPage(pages, 0, a); next != 1 {
		t.Errorf("NextPage after page 0 when working = %d, want 1", next)
	}
	if next := d.NextPage(pages, len(pages)-1, a); next != len(pages) {
		t.Errorf("NextPage after the last page = %d, want %d", next, len(pages))
	}
	if prev := d.PreviousPage(pages, 0, a); prev != -1 {
		t.Errorf("PreviousPage before the first page = %d, want -1", prev)
	}
}

func TestMessagesComplete(t *testing.T) {
	keys := []string{"required.select_one", "button.continue", "progress", "thanks.title", "closed.title", "resume.wrong", "or",
		"save_throttled.title", "save_throttled.body", "save_full.title", "save_full.body"}
	for _, lang := range []string{"en", "es", "ar"} {
		if survey.MessageLang(lang) != lang {
			t.Errorf("MessageLang(%s) = %s: the interface should speak it", lang, survey.MessageLang(lang))
		}
		for _, k := range keys {
			if m := survey.Message(lang, k); m == "" || lang != "en" && m == survey.Message("en", k) && k != "error.prefix" {
				t.Errorf("Message(%s, %s) = %q: missing or untranslated", lang, k, m)
			}
		}
	}
	if got := survey.Message("es-MX", "button.continue"); got != "Continuar" {
		t.Errorf("Message(es-MX, button.continue) = %q, want the Spanish", got)
	}
	if got, lang := survey.Message("sw", "button.continue"), survey.MessageLang("sw"); got != "Continue" || lang != "en" {
		t.Errorf("Message(sw) = %q in %s, want the English, marked en", got, lang)
	}
	if got := survey.Message("en", "progress", "2", "6"); got != "Page 2 of 6" {
		t.Errorf("Message(en, progress, 2, 6) = %q", got)
	}
}

func TestPhaseOn(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	now := day("2026-11-23").Add(15 * time.Hour)
	tests := []struct {
		phase         survey.Phase
		opens, closes string
		want          survey.Phase
	}{
		{survey.Draft, "", "", survey.Draft},
		{survey.Pilot, "2026-11-23", "", survey.Live},
		{survey.Pilot, "2026-11-24", "", survey.Pilot},
		{survey.Draft, "2026-11-01", "", survey.Live},
		{survey.Live, "", "2026-11-23", survey.Live},
		{survey.Live, "", "2026-11-22", survey.Closed},
		{survey.Pilot, "2026-11-01", "2026-11-10", survey.Closed},
		{survey.Closed, "2026-11-01", "", survey.Closed},
		{survey.Archived, "", "", survey.Archived},
	}
	for _, tc := range tests {
		s := survey.Survey{Phase: tc.phase}
		if tc.opens != "" {
			s.OpensOn = day(tc.opens)
		}
		if tc.closes != "" {
			s.ClosesOn = day(tc.closes)
		}
		if got := s.PhaseOn(now); got != tc.want {
			t.Errorf("%s survey opening %q, closing %q: PhaseOn(%s) = %s, want %s", tc.phase, tc.opens, tc.closes, now.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestCheckMove(t *testing.T) {
	for _, tc := range []struct {
		from, to survey.Phase
		ok       bool
	}{
		{survey.Draft, survey.Pilot, true}, {survey.Pilot, survey.Live, true}, {survey.Live, survey.Closed, true},
		{survey.Closed, survey.Live, true}, {survey.Closed, survey.Archived, true}, {survey.Live, survey.Live, true},
		{survey.Live, survey.Pilot, false}, {survey.Live, survey.Draft, false}, {survey.Archived, survey.Live, false},
	} {
		err := survey.CheckMove(tc.from, tc.to)
		if (err == nil) != tc.ok {
			t.Errorf("CheckMove(%s, %s) = %v, want ok %v", tc.from, tc.to, err, tc.ok)
		}
	}
	err := fmt.Errorf("set phase of careers: %w", survey.CheckMove(survey.Live, survey.Pilot))
	var me *survey.MoveError
	if !errors.Is(err, survey.ErrPhase) || !errors.As(err, &me) || me.Reason() != "a live survey can move to closed, not pilot" ||
		me.Error() != "the survey cannot move to that phase: a live survey can move to closed, not pilot" {
		t.Errorf("CheckMove(live, pilot) = %v", err)
	}
}

func TestCheckChannel(t *testing.T) {
	for _, tc := range []struct {
		c    survey.Channel
		want field.Errors
	}{
		{survey.Channel{Code: "london-hub", Name: "London", Kind: "hub"}, nil},
		{survey.Channel{Code: "unknown", Name: "x", Kind: "hub"}, field.Errors{{Field: "code", Message: "The code unknown is kept for links without a channel: choose another"}}},
		{survey.Channel{Code: "London Hub", Name: "", Kind: "party"}, field.Errors{
			{Field: "name", Message: "Enter a name for the channel"},
			{Field: "code", Message: "The code can use lower-case letters, digits and hyphens, up to 40 characters, like london-hub"},
			{Field: "kind", Message: "Choose what kind of channel it is"}}},
	} {
		got, _ := field.From(survey.CheckChannel(tc.c))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("CheckChannel(%+v) (-want +got):\n%s", tc.c, diff)
		}
	}
}
