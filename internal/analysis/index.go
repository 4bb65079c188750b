package analysis

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Index holds a survey's responses in memory, column by column, for
// reports: a compact code per select_one answer, a bitset per choice of
// each select_multiple, and bitsets for answers that are missing or
// declined. Responses are kept in segments, one per stratum (phase,
// channel, version, month), so that every view a report offers is a union of
// segments, and all views' counts come from one pass.
//
// An Index is safe for concurrent use.
type Index struct {
	def *survey.Definition // the survey's current definition: its questions and choices

	mu       sync.RWMutex
	segments map[Stratum]*segment
	choices  map[string]*dictionary // question → its choice names, as seen in any version
	open     []string               // the open-text answers' names: text questions and "Other" boxes
	rows     int                    // live rows
}

// Stratum is where a response stands among the filters reports offer.
type Stratum struct {
	Phase   survey.Phase
	Channel string
	Version int
	Month   string // the month it was submitted in, as 2006-01
}

// dictionary numbers the choices of one question, so that a select_one
// answer takes one byte and a select_multiple choice one bit.
type dictionary struct {
	names []string
	codes map[string]int // name → code, from 1
}

func (d *dictionary) code(name string) (int, error) {
	if c, ok := d.codes[name]; ok {
		return c, nil
	}
	if len(d.names) == maxChoices {
		return 0, fmt.Errorf("more than %d different choices", maxChoices)
	}
	d.names = append(d.names, name)
	d.codes[name] = len(d.names)
	return len(d.names), nil
}

// maxChoices is how many different choices one question may have in the
// index: a select_one answer is one byte.
const maxChoices = 255

// segment holds the responses of one stratum.
type segment struct {
	n     int                 // rows, removed ones included
	alive bitset              // rows not removed
	days  []uint16            // each row's submission day, as days since dayZero
	one   map[string][]uint8  // select_one question → each row's code (0: no answer)
	multi map[string][]bitset // select_multiple question → a set per code (index code-1)
	ans   map[string]bitset   // select_multiple question → rows with any answer
	text  map[string]bitset   // open-text answer → rows where it is not blank
	ids   []string            // each row's response id, for the codes analysts give answers

	// bits caches sets worked out from the codes, by question and code;
	// adding a row clears it. Reports fill it while holding the index's
	// read lock only, so it has a lock of its own.
	bitsMu sync.Mutex
	bits   map[string][]bitset
}

// monthLayout is how a month is written in strata and filters.
const monthLayout = "2006-01"

// dayZero is the day submission days count from.
var dayZero = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func dayNumber(t time.Time) uint16 {
	d := survey.Day(t).Sub(dayZero).Hours() / 24
	return uint16(max(0, min(d, 65535)))
}

func dayTime(n uint16) time.Time { return dayZero.AddDate(0, 0, int(n)) }

// NewIndex returns an empty index for a survey.
func NewIndex(d *survey.Definition) *Index {
	x := &Index{def: d, segments: map[Stratum]*segment{}, choices: map[string]*dictionary{}}
	for _, q := range d.Questions() {
		// Only the questions reports use: a long list of other choices,
		// such as employers, does not fit a byte and is not needed.
		if (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple) && q.Analysis.Role != "" {
			dict := &dictionary{codes: map[string]int{}}
			for _, c := range d.Choices(q) {
				dict.code(c.Name)
			}
			x.choices[q.Name] = dict
		}
		if q.Type == survey.TypeText {
			x.open = append(x.open, q.Name)
		} else if q.OrOther {
			x.open = append(x.open, q.OtherName())
		}
	}
	return x
}

// Len returns how many responses the index holds.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.rows
}

// Add adds a response.
func (x *Index) Add(r survey.Response) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.add(r)
}

func (x *Index) add(r survey.Response) error {
	st := Stratum{Phase: r.Phase, Channel: r.Channel, Version: r.Version, Month: r.SubmittedOn.UTC().Format(monthLayout)}
	s := x.segments[st]
	if s == nil {
		s = &segment{one: map[string][]uint8{}, multi: map[string][]bitset{}, ans: map[string]bitset{}, text: map[string]bitset{}}
		x.segments[st] = s
	}
	row := s.n
	for _, q := range x.def.Questions() {
		dict, ok := x.choices[q.Name]
		if !ok {
			continue
		}
		answer := r.Answers[q.Name]
		switch q.Type {
		case survey.TypeSelectOne:
			code := 0
			if answer != "" {
				var err error
				if code, err = dict.code(answer); err != nil {
					return fmt.Errorf("question %s: %w", q.Name, err)
				}
			}
			col := s.one[q.Name]
			for len(col) < row {
				col = append(col, 0)
			}
			s.one[q.Name] = append(col, uint8(code))
		case survey.TypeSelectMultiple:
			sets := s.multi[q.Name]
			for name := range strings.FieldsSeq(answer) {
				code, err := dict.code(name)
				if err != nil {
					return fmt.Errorf("question %s: %w", q.Name, err)
				}
				for len(sets) < code {
					sets = append(sets, nil)
				}
				sets[code-1].set(row)
			}
			s.multi[q.Name] = sets
			if answer != "" {
				a := s.ans[q.Name]
				a.set(row)
				s.ans[q.Name] = a
			}
		}
	}
	for _, name := range x.open {
		if strings.TrimSpace(r.Answers[name]) != "" {
			b := s.text[name]
			b.set(row)
			s.text[name] = b
		}
	}
	s.ids = append(s.ids, r.ID)
	s.days = append(s.days, dayNumber(r.SubmittedOn))
	s.alive.set(row)
	s.n++
	s.bits = nil
	x.rows++
	return nil
}

// removeDays removes the responses submitted on the given days, so that
// they can be read again from the store (see Reload). The caller holds the
// write lock.
func (x *Index) removeDays(days []time.Time) {
	nums := make([]uint16, len(days))
	for i, d := range days {
		nums[i] = dayNumber(d)
	}
	for _, s := range x.segments {
		for row, d := range s.days {
			if slices.Contains(nums, d) && s.alive.has(row) {
				s.alive.clear(row)
				x.rows--
			}
		}
		s.bits = nil
	}
}

// DayCounts counts the responses the index holds by submission day.
func (x *Index) DayCounts() map[time.Time]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := map[time.Time]int{}
	for _, s := range x.segments {
		for row, d := range s.days {
			if s.alive.has(row) {
				out[dayTime(d)]++
			}
		}
	}
	return out
}

// Bytes estimates the memory the index holds.
func (x *Index) Bytes() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := 0
	for _, s := range x.segments {
		n += s.alive.bytes() + 2*cap(s.days)
		for _, col := range s.one {
			n += cap(col)
		}
		for _, sets := range s.multi {
			for _, b := range sets {
				n += b.bytes()
			}
		}
		for _, b := range s.ans {
			n += b.bytes()
		}
		for _, b := range s.text {
			n += b.bytes()
		}
		n += 16 * cap(s.ids) // string headers
		for _, id := range s.ids {
			n += len(id)
		}
	}
	return n
}

// codeSets returns, for each code, the rows of a segment whose select_one
// answer to q has that code (index 0: no answer is not kept), worked out
// once and kept until the segment changes. The caller holds the index's
// read lock.
func (s *segment) codeSets(q string, codes int) []bitset {
	s.bitsMu.Lock()
	defer s.bitsMu.Unlock()
	if sets, ok := s.bits[q]; ok && len(sets) == codes+1 {
		return sets
	}
	sets := make([]bitset, codes+1)
	words := (s.n + 63) / 64
	for i := range sets {
		sets[i] = make(bitset, words)
	}
	for row, c := range s.one[q] {
		if c != 0 {
			sets[c].set(row)
		}
	}
	if s.bits == nil {
		s.bits = map[string][]bitset{}
	}
	s.bits[q] = sets
	return sets
}

// Load fills a new index with the responses each gives, one at a time.
func Load(d *survey.Definition, each func(func(survey.Response) error) error) (*Index, error) {
	x := NewIndex(d)
	err := each(func(r survey.Response) error { return x.add(r) })
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Reload replaces the responses of the given days with those each gives:
// how an index catches up with responses another instance stored.
func (x *Index) Reload(days []time.Time, each func(func(survey.Response) error) error) error {
	// Read first, then swap under one lock: reports never see the days
	// half reloaded, and are not held up while the store is read.
	var rs []survey.Response
	if err := each(func(r survey.Response) error { rs = append(rs, r); return nil }); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeDays(days)
	for _, r := range rs {
		if err := x.add(r); err != nil {
			return err
		}
	}
	return nil
}
