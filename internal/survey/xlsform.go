package survey

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/survey/expr"
)

// Problem is something wrong with a form, and where it is.
type Problem struct {
	Sheet  string // survey, choices, settings; "" for the file as a whole
	Row    int    // 0 for the sheet as a whole
	Column string // "" for the row as a whole
	Msg    string
}

func (p Problem) String() string {
	var where []string
	if p.Sheet != "" {
		where = append(where, p.Sheet+" sheet")
	}
	if p.Row > 0 {
		where = append(where, "row "+strconv.Itoa(p.Row))
	}
	if p.Column != "" {
		where = append(where, "column "+p.Column)
	}
	if len(where) == 0 {
		return p.Msg
	}
	return strings.Join(where, ", ") + ": " + p.Msg
}

// FormError lists every problem found in a form. A form with problems is
// not imported at all.
type FormError struct {
	Problems []Problem
}

func (e *FormError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	if len(lines) == 1 {
		return "the form has a problem: " + lines[0]
	}
	return fmt.Sprintf("the form has %d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// Report says what an import did that the author may not expect: sheets it
// ignored, questions it moved to a page of their own, translations missing.
type Report struct {
	Notes []Problem
}

// The columns each sheet may have. Columns marked translatable may also be
// written name::Language (code).
var (
	surveyColumns = map[string]bool{ // column → translatable
		"type": false, "name": false, "label": true, "hint": true, "required": false,
		"required_message": true, "relevant": false, "constraint": false,
		"constraint_message": true, "appearance": false, "analysis": false,
	}
	choicesColumns  = map[string]bool{"list_name": false, "name": false, "label": true, "analysis": false}
	settingsColumns = map[string]bool{
		"form_id": false, "form_title": true, "description": true, "version": false,
		"default_language": false, "estimated_minutes": false,
	}
)

// Question types that would record something about the person, and
// question types the platform does not offer.
var (
	metadataTypes = []string{"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
		"username", "email", "audit", "imei", "start-geopoint", "background-audio"}
	unsupportedTypes = []string{"calculate", "hidden", "range", "time", "datetime", "dateTime", "geopoint",
		"geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "begin_repeat", "begin repeat",
		"end_repeat", "end repeat", "select_one_from_file", "select_multiple_from_file", "xml-external", "trigger"}
	questionTypes = []string{"select_one", "select_multiple", "rank", "integer", "decimal", "text", "date",
		"note", "acknowledge", "begin_group", "end_group"}
)

// namePattern is what a question, group or choice name may look like.
var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// languagePattern reads a language as XLSForm columns write it:
// "Español (es)".
var languagePattern = regexp.MustCompile(`^(.*\S)\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)$`)

// compiler turns a workbook into a definition, collecting every problem.
type compiler struct {
	wb       *Workbook
	def      *Definition
	problems []Problem
	notes    []Problem
	// defaultLang is the code of the language of plain label columns.
	defaultLang string
	// rows remembers each question's row, for messages found late.
	rows map[string]int
}

func (c *compiler) fail(sheet string, row int, column, format string, args ...any) {
	c.problems = append(c.problems, Problem{sheet, row, column, fmt.Sprintf(format, args...)})
}

func (c *compiler) note(sheet string, row int, column, format string, args ...any) {
	c.notes = append(c.notes, Problem{sheet, row, column, fmt.Sprintf(format, args...)})
}

// Compile reads the meaning of a workbook: its questions, pages, choices,
// logic and settings. Every problem is reported, each with its sheet, row
// and column; a form with any problem gives a *FormError and no
// definition.
func Compile(wb *Workbook) (*Definition, *Report, error) {
	c := &compiler{wb: wb, def: &Definition{}, rows: map[string]int{}}
	surveySheet := wb.Sheet("survey")
	if surveySheet == nil {
		c.fail("", 0, "", `there is no "survey" sheet: an XLSForm needs sheets named survey and choices (and optionally settings)`)
		return nil, nil, &FormError{c.problems}
	}
	for _, s := range wb.Sheets {
		if s.Name != "survey" && s.Name != "choices" && s.Name != "settings" {
			c.note(s.Name, 0, "", "this sheet is not part of an XLSForm and was ignored")
		}
	}
	c.readLanguages()
	c.readSettings()
	c.readChoices()
	c.readSurvey(surveySheet)
	if len(c.problems) == 0 {
		c.checkLogic()
		c.checkLogicCost()
		c.checkAnalysis()
		c.checkTranslations()
	}
	if len(c.problems) > 0 {
		return nil, nil, &FormError{c.problems}
	}
	for _, p := range c.def.Pages() {
		if p.MovedBy != "" {
			c.note("survey", c.rows[p.Questions[0].Name], "relevant",
				"${%s} depends on ${%s}, which is on the same page, so it starts a new page: "+
					"pages are worked out on the server, so that the survey works without JavaScript",
				p.Questions[0].Name, p.MovedBy)
		}
	}
	return c.def, &Report{Notes: c.notes}, nil
}

// column splits a column name into its base and its language column
// ("label::Español (es)" → "label", "Español (es)").
func column(name string) (base, lang string) {
	base, lang, _ = strings.Cut(name, "::")
	return strings.TrimSpace(base), strings.TrimSpace(lang)
}

// readLanguages finds every language the columns of the three sheets name,
// with the default first.
func (c *compiler) readLanguages() {
	var langs []Language
	add := func(l Language) {
		if !slices.ContainsFunc(langs, func(x Language) bool { return x.Code == l.Code }) {
			langs = append(langs, l)
		}
	}
	var defaultLang *Language
	if s := c.wb.Sheet("settings"); s != nil && len(s.Rows) > 0 {
		if v := s.Cell(s.Rows[0], "default_language"); v != "" {
			if l, ok := parseLanguage(v); ok {
				defaultLang = &l
			} else {
				c.fail("settings", s.Rows[0].Number, "default_language",
					"write the language as its name and code, such as English (en) or Español (es), not %q", v)
			}
		}
	}
	plain := false
	for _, sheetName := range []string{"survey", "choices", "settings"} {
		s := c.wb.Sheet(sheetName)
		if s == nil {
			continue
		}
		for _, col := range s.Columns {
			base, lang := column(col)
			if lang == "" {
				if base == "label" || base == "form_title" {
					plain = true
				}
				continue
			}
			if l, ok := parseLanguage(lang); ok {
				add(l)
			} else {
				c.fail(sheetName, s.HeaderRow, col, "write the language as its name and code, such as %s::English (en), not %q", base, lang)
			}
		}
	}
	switch {
	case defaultLang != nil:
		langs = slices.DeleteFunc(langs, func(l Language) bool { return l.Code == defaultLang.Code })
		langs = append([]Language{*defaultLang}, langs...)
	case plain || len(langs) == 0:
		// Plain label columns with no default_language are English.
		en := Language{Code: "en", Name: "English"}
		langs = slices.DeleteFunc(langs, func(l Language) bool { return l.Code == "en" })
		langs = append([]Language{en}, langs...)
	}
	c.def.Languages = langs
	c.defaultLang = langs[0].Code
	c.def.Settings.DefaultLanguage = c.defaultLang
}

func parseLanguage(s string) (Language, bool) {
	m := languagePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Language{}, false
	}
	return Language{Code: m[2], Name: m[1]}, true
}

// checkColumns reports columns the sheet may not have, and returns the
// sheet's translatable columns by base name: base → language code →
// column name.
func (c *compiler) checkColumns(s *Sheet, allowed map[string]bool) map[string]map[string]string {
	translations := map[string]map[string]string{}
	for _, col := range s.Columns {
		base, lang := column(col)
		translatable, ok := allowed[base]
		switch {
		case !ok:
			c.fail(s.Name, s.HeaderRow, col, "unknown column %q%s; the %s sheet's columns are %s", col,
				suggest(base, slices.Sorted(maps.Keys(allowed))), s.Name, strings.Join(slices.Sorted(maps.Keys(allowed)), ", "))
			continue
		case lang != "" && !translatable:
			c.fail(s.Name, s.HeaderRow, col, "the column %s cannot have a language", base)
			continue
		}
		code := c.defaultLang
		if lang != "" {
			l, ok := parseLanguage(lang)
			if !ok {
				continue // reported by readLanguages
			}
			code = l.Code
		}
		if translations[base] == nil {
			translations[base] = map[string]string{}
		}
		if prev, dup := translations[base][code]; dup {
			c.fail(s.Name, s.HeaderRow, col, "this column says the same as %s", prev)
			continue
		}
		translations[base][code] = col
	}
	return translations
}

// text reads a translatable column of a row.
func text(s *Sheet, r Row, cols map[string]string) Text {
	t := Text{}
	for code, col := range cols {
		if v := s.Cell(r, col); v != "" {
			t[code] = v
		}
	}
	return t
}

func (c *compiler) readSettings() {
	s := c.wb.Sheet("settings")
	if s == nil {
		return
	}
	tr := c.checkColumns(s, settingsColumns)
	if len(s.Rows) == 0 {
		return
	}
	if len(s.Rows) > 1 {
		c.fail("settings", s.Rows[1].Number, "", "the settings sheet has one row of settings; this is a second")
	}
	r := s.Rows[0]
	st := &c.def.Settings
	st.Title = text(s, r, tr["form_title"])
	st.Description = text(s, r, tr["description"])
	st.Version = s.Cell(r, "version")
	st.ID = s.Cell(r, "form_id")
	if st.ID != "" {
		if slug := Slug(st.ID); slug != st.ID {
			c.note("settings", r.Number, "form_id", "the form_id %q is used in web addresses as %q", st.ID, slug)
			st.ID = slug
		}
	}
	if v := s.Cell(r, "estimated_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 240 {
			c.fail("settings", r.Number, "estimated_minutes", "write how many minutes the survey takes as a whole number from 1 to 240, not %q", v)
		}
		st.EstimatedMinutes = n
	}
}

// Slug makes a name fit for a web address: lower-case letters, digits and
// hyphens.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > 60 {
		out = strings.TrimSuffix(out[:60], "-")
	}
	return out
}

func (c *compiler) readChoices() {
	s := c.wb.Sheet("choices")
	if s == nil {
		return
	}
	tr := c.checkColumns(s, choicesColumns)
	for _, col := range []string{"list_name", "name"} {
		if !slices.Contains(s.Columns, col) {
			c.fail("choices", 0, "", "the choices sheet needs a %s column", col)
			return
		}
	}
	for _, r := range s.Rows {
		listName, name := s.Cell(r, "list_name"), s.Cell(r, "name")
		if listName == "" && name == "" {
			continue
		}
		if !namePattern.MatchString(listName) {
			c.fail("choices", r.Number, "list_name", "%q is not a usable list name: start with a letter or _, then use letters, digits, _, - or .", listName)
			continue
		}
		if !namePattern.MatchString(name) {
			c.fail("choices", r.Number, "name", "%q is not a usable choice name: start with a letter or _, then use letters, digits, _, - or .", name)
			continue
		}
		l := c.def.List(listName)
		if l == nil {
			l = &List{Name: listName}
			c.def.Lists = append(c.def.Lists, l)
		}
		if slices.ContainsFunc(l.Choices, func(ch *Choice) bool { return ch.Name == name }) {
			c.fail("choices", r.Number, "name", "the list %s already has a choice named %s", listName, name)
			continue
		}
		ch := &Choice{Name: name, Label: text(s, r, tr["label"])}
		if ch.Label[c.defaultLang] == "" {
			c.fail("choices", r.Number, c.labelColumn(tr["label"]), "the choice %s needs a label", name)
		}
		for word := range strings.FieldsSeq(s.Cell(r, "analysis")) {
			switch word {
			case "missing":
				ch.Missing = true
			case "exclusive":
				ch.Exclusive = true
			default:
				c.fail("choices", r.Number, "analysis", "unknown analysis mark %q for a choice: use missing, exclusive, or both", word)
			}
		}
		if name == PreferNotToSay {
			ch.Missing, ch.Exclusive = true, true
		}
		l.Choices = append(l.Choices, ch)
	}
}

// labelColumn names the default language's label column, for messages.
func (c *compiler) labelColumn(cols map[string]string) string {
	if col, ok := cols[c.defaultLang]; ok {
		return col
	}
	return "label"
}

func (c *compiler) readSurvey(s *Sheet) {
	tr := c.checkColumns(s, surveyColumns)
	for _, col := range []string{"type", "name"} {
		if !slices.Contains(s.Columns, col) {
			c.fail("survey", 0, "", "the survey sheet needs a %s column", col)
			return
		}
	}
	if len(c.problems) > 0 {
		return
	}
	seen := map[string]int{} // name → row
	var group *Group
	groupRow := 0
	for _, r := range s.Rows {
		typ := strings.Join(strings.Fields(s.Cell(r, "type")), " ")
		name := s.Cell(r, "name")
		if typ == "" && name == "" && len(text(s, r, tr["label"])) == 0 {
			continue
		}
		fields := strings.Fields(typ)
		if len(fields) == 0 {
			c.fail("survey", r.Number, "type", "the row has no type: say what kind of question it is, such as text or select_one LIST")
			continue
		}
		base := fields[0]
		switch base {
		case "begin", "end":
			if len(fields) > 1 && fields[1] == "group" {
				base, fields = base+"_group", append([]string{base + "_group"}, fields[2:]...)
			}
		}
		switch {
		case base == "end_group":
			if group == nil {
				c.fail("survey", r.Number, "type", "end_group without a begin_group before it")
			} else if len(group.Questions) == 0 {
				c.fail("survey", groupRow, "type", "the group %s has no questions", group.Name)
			}
			group = nil
			continue
		case slices.Contains(metadataTypes, base):
			c.fail("survey", r.Number, "type", "the type %q would record something about the person answering; this platform keeps surveys anonymous, so it is not offered", base)
			continue
		case slices.Contains(unsupportedTypes, base):
			c.fail("survey", r.Number, "type", "the question type %q is not supported; the types are %s", base, strings.Join(questionTypes, ", "))
			continue
		case !slices.Contains(questionTypes, base):
			c.fail("survey", r.Number, "type", "unknown question type %q%s; the types are %s", base, suggest(base, questionTypes), strings.Join(questionTypes, ", "))
			continue
		}
		if !namePattern.MatchString(name) {
			if name == "" {
				c.fail("survey", r.Number, "name", "the row needs a name")
			} else {
				c.fail("survey", r.Number, "name", "%q is not a usable name: start with a letter or _, then use letters, digits, _, - or .", name)
			}
			continue
		}
		if prev, dup := seen[name]; dup {
			c.fail("survey", r.Number, "name", "the name %s is already used on row %d", name, prev)
			continue
		}
		seen[name] = r.Number
		c.rows[name] = r.Number

		if base == "begin_group" {
			if group != nil {
				c.fail("survey", r.Number, "type", "a group inside the group %s (row %d): groups cannot be nested; end the first group before beginning another", group.Name, groupRow)
				continue
			}
			group = &Group{Name: name, Label: text(s, r, tr["label"]), Hint: text(s, r, tr["hint"]),
				Relevant: s.Cell(r, "relevant"), Appearance: s.Cell(r, "appearance")}
			for _, col := range []string{"required", "constraint", "analysis"} {
				if s.Cell(r, col) != "" {
					c.fail("survey", r.Number, col, "a group cannot have a %s; put it on the questions", col)
				}
			}
			if a := group.Appearance; a != "" && a != "field-list" {
				c.fail("survey", r.Number, "appearance", "a group's appearance can only be field-list (every group is a page anyway), not %q", a)
			}
			groupRow = r.Number
			c.def.Items = append(c.def.Items, Item{Group: group})
			continue
		}
		q := c.readQuestion(s, r, tr, Type(base), fields)
		if q == nil {
			continue
		}
		if q.OrOther {
			if prev, dup := seen[q.OtherName()]; dup {
				c.fail("survey", r.Number, "type", "or_other adds an answer named %s, but row %d already uses that name", q.OtherName(), prev)
			}
			seen[q.OtherName()] = r.Number
		}
		if group != nil {
			group.Questions = append(group.Questions, q)
		} else {
			c.def.Items = append(c.def.Items, Item{Question: q})
		}
	}
	if group != nil {
		c.fail("survey", groupRow, "type", "the group %s has no end_group after it", group.Name)
	}
	if len(c.def.Questions()) == 0 && len(c.problems) == 0 {
		c.fail("survey", 0, "", "the survey has no questions")
	}
}

func (c *compiler) readQuestion(s *Sheet, r Row, tr map[string]map[string]string, typ Type, fields []string) *Question {
	q := &Question{
		Name: s.Cell(r, "name"), Type: typ,
		Label: text(s, r, tr["label"]), Hint: text(s, r, tr["hint"]),
		RequiredMessage: text(s, r, tr["required_message"]), ConstraintMessage: text(s, r, tr["constraint_message"]),
		Relevant: s.Cell(r, "relevant"), Constraint: s.Cell(r, "constraint"), Appearance: s.Cell(r, "appearance"),
	}
	switch {
	case typ.HasList():
		if len(fields) < 2 {
			c.fail("survey", r.Number, "type", "%s needs the name of its choice list, such as %s yes_no", typ, typ)
			return nil
		}
		q.List = fields[1]
		rest := fields[2:]
		if len(rest) > 0 && rest[0] == "or_other" && typ != TypeRank {
			q.OrOther, rest = true, rest[1:]
		}
		if len(rest) > 0 {
			c.fail("survey", r.Number, "type", "unexpected %q after the list name", strings.Join(rest, " "))
			return nil
		}
		l := c.def.List(q.List)
		switch {
		case l == nil && c.wb.Sheet("choices") == nil:
			c.fail("survey", r.Number, "type", "the list %s does not exist: the form has no choices sheet", q.List)
			return nil
		case l == nil:
			c.fail("survey", r.Number, "type", "the list %s does not exist on the choices sheet%s", q.List, suggest(q.List, c.listNames()))
			return nil
		case typ == TypeRank && len(l.Choices) < 2:
			c.fail("survey", r.Number, "type", "rank needs a list of two or more choices to put in order; %s has %d", q.List, len(l.Choices))
		case q.OrOther && slices.ContainsFunc(l.Choices, func(ch *Choice) bool { return ch.Name == OtherChoice }):
			c.fail("survey", r.Number, "type", "or_other adds a choice named other, but the list %s already has one", q.List)
		}
	case len(fields) > 1:
		c.fail("survey", r.Number, "type", "unexpected %q after %s", strings.Join(fields[1:], " "), typ)
		return nil
	}
	if q.Label[c.defaultLang] == "" {
		c.fail("survey", r.Number, c.labelColumn(tr["label"]), "the question %s needs a label", q.Name)
	}
	switch v := strings.ToLower(s.Cell(r, "required")); v {
	case "yes", "true", "true()", "1":
		q.Required = true
	case "", "no", "false", "false()", "0":
	default:
		c.fail("survey", r.Number, "required", "write yes or no, not %q", s.Cell(r, "required"))
	}
	if typ == TypeNote {
		for _, col := range []string{"required", "constraint", "analysis"} {
			if s.Cell(r, col) != "" {
				c.fail("survey", r.Number, col, "a note has no answer, so it cannot have a %s", col)
			}
		}
		q.Required = false
	}
	for word := range strings.FieldsSeq(q.Appearance) {
		switch {
		case word == "likert" && typ == TypeSelectOne:
		case word == "multiline" && typ == TypeText:
		default:
			c.fail("survey", r.Number, "appearance", "the appearance %q is not supported for %s; use likert for a select_one rating scale, or multiline for a long text answer", word, typ)
		}
	}
	if a := s.Cell(r, "analysis"); a != "" {
		q.Analysis = c.readAnalysis(r.Number, q, a)
	}
	return q
}

func (c *compiler) listNames() []string {
	var names []string
	for _, l := range c.def.Lists {
		names = append(names, l.Name)
	}
	return names
}

func (c *compiler) readAnalysis(row int, q *Question, v string) Analysis {
	fields := strings.Fields(v)
	var a Analysis
	switch fields[0] {
	case "outcome":
		a.Role = Outcome
	case "dimension":
		a.Role = Dimension
	default:
		c.fail("survey", row, "analysis", "unknown analysis role %q%s: use outcome, dimension, or dimension reference=CHOICE", fields[0], suggest(fields[0], []string{"outcome", "dimension"}))
		return a
	}
	if q.Type != TypeSelectOne && q.Type != TypeSelectMultiple {
		c.fail("survey", row, "analysis", "only select_one and select_multiple questions can be an %s; %s is %s", a.Role, q.Name, q.Type)
		return a
	}
	for _, f := range fields[1:] {
		ref, ok := strings.CutPrefix(f, "reference=")
		switch {
		case !ok:
			c.fail("survey", row, "analysis", "unexpected %q: the only option is reference=CHOICE", f)
		case a.Role != Dimension:
			c.fail("survey", row, "analysis", "only a dimension can have a reference group")
		default:
			a.Reference = ref
		}
	}
	return a
}

// checkAnalysis checks what needs every list: that a reference group is a
// real, substantive choice.
func (c *compiler) checkAnalysis() {
	for _, q := range c.def.Questions() {
		if ref := q.Analysis.Reference; ref != "" {
			ch := c.def.Choice(q, ref)
			switch {
			case ch == nil:
				c.fail("survey", c.rows[q.Name], "analysis", "reference=%s: the list %s has no choice named %s", ref, q.List, ref)
			case ch.Missing:
				c.fail("survey", c.rows[q.Name], "analysis", "reference=%s: that choice counts as no answer, so it cannot be the group compared against", ref)
			}
		}
	}
}

// checkLogic parses every relevant and constraint, and checks what they
// refer to: only questions that exist and come before, never in a circle.
func (c *compiler) checkLogic() {
	order := map[string]int{} // name → position
	for i, q := range c.def.Questions() {
		order[q.Name] = i
		if q.OrOther {
			order[q.OtherName()] = i
		}
	}
	deps := map[string][]string{} // item → the questions its relevant refers to
	check := func(name, col, src string, pos int, inGroup *Group) {
		if src == "" {
			return
		}
		row := c.rows[name]
		e, err := expr.Parse(src)
		if err != nil {
			c.fail("survey", row, col, "%v", err)
			return
		}
		if col == "relevant" && e.UsesCurrent() {
			c.fail("survey", row, col, `"." means this question's own answer, which is not known when deciding whether to show it; write ${name} instead`)
		}
		for _, ref := range e.Refs() {
			at, ok := order[ref]
			switch {
			case !ok:
				c.fail("survey", row, col, "${%s} is not a question in this form%s", ref, suggest(ref, slices.Collect(maps.Keys(order))))
			case col == "relevant" && (ref == name || inGroup != nil && slices.ContainsFunc(inGroup.Questions, func(q *Question) bool { return q.Name == ref })):
				// Reported as a circle by checkCycles.
				deps[name] = append(deps[name], ref)
			case at > pos:
				c.fail("survey", row, col, "${%s} comes later in the form; a question can only depend on answers given before it", ref)
			case col == "relevant":
				deps[name] = append(deps[name], ref)
			}
		}
	}
	pos := 0
	for _, it := range c.def.Items {
		if g := it.Group; g != nil {
			check(g.Name, "relevant", g.Relevant, pos, g)
			for _, q := range g.Questions {
				// A question in a group is shown only when its group is.
				deps[q.Name] = append(deps[q.Name], g.Name)
				check(q.Name, "relevant", q.Relevant, pos, nil)
				check(q.Name, "constraint", q.Constraint, pos, nil)
				pos++
			}
			continue
		}
		q := it.Question
		check(q.Name, "relevant", q.Relevant, pos, nil)
		check(q.Name, "constraint", q.Constraint, pos, nil)
		pos++
	}
	c.checkCycles(deps)
}

// checkCycles reports relevance that goes round in a circle: a question
// (or group) whose showing depends, through others, on itself.
func (c *compiler) checkCycles(deps map[string][]string) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(n string) bool
	visit = func(n string) bool {
		switch state[n] {
		case visiting:
			i := slices.Index(path, n)
			circle := append(slices.Clone(path[i:]), n)
			for j := range circle {
				circle[j] = "${" + circle[j] + "}"
			}
			c.fail("survey", c.rows[n], "relevant", "circular relevant: %s; a question cannot depend on itself", strings.Join(circle, " → "))
			return true
		case done:
			return false
		}
		state[n] = visiting
		path = append(path, n)
		for _, d := range deps[n] {
			if visit(d) {
				return true
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return false
	}
	for _, n := range slices.Sorted(maps.Keys(deps)) {
		if visit(n) {
			return
		}
	}
}

// checkTranslations notes texts missing in some language: the default
// language's text is shown instead.
func (c *compiler) checkTranslations() {
	if len(c.def.Languages) < 2 {
		return
	}
	for _, q := range c.def.Questions() {
		for _, l := range c.def.Languages[1:] {
			if q.Label[l.Code] == "" {
				c.note("survey", c.rows[q.Name], "label::"+l.Column(), "the question %s has no %s label; the %s one is shown instead",
					q.Name, l.Name, c.def.Languages[0].Name)
			}
		}
	}
}

// suggest returns ` (did you mean "x"?)` for the closest candidate, if one
// is close.
func suggest(got string, candidates []string) string {
	best, bestDist := "", 3
	for _, cand := range candidates {
		if d := editDistance(strings.ToLower(got), strings.ToLower(cand)); d < bestDist {
			best, bestDist = cand, d
		}
	}
	if best == "" || best == got {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
