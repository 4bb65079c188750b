package analysis

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// ParseQuery reads a report request from a URL's query, as the insights
// page's form and the API send it: by, outcome and cross (as a,b) any
// number of times, or cross_a and cross_b once; phase, channel, version,
// month, compare and k once. What is missing takes the default
// (DefaultRequest); what cannot be read is a field.Errors naming the
// parameter. Whether the request makes sense for a survey is Report's to
// say.
func ParseQuery(q url.Values) (Request, error) {
	req := DefaultRequest()
	req.Dimensions = nonEmpty(q["by"])
	req.Outcomes = nonEmpty(q["outcome"])
	for _, c := range nonEmpty(q["cross"]) {
		a, b, ok := strings.Cut(c, ",")
		if !ok || strings.Contains(b, ",") {
			return req, field.Invalid("cross", fmt.Sprintf("cross %q: name two dimensions, as gender,disability", c))
		}
		req.Intersections = append(req.Intersections, [2]string{a, b})
	}
	if a, b := q.Get("cross_a"), q.Get("cross_b"); a != "" || b != "" {
		if a == "" || b == "" {
			return req, field.Invalid("cross_a", "to cross two dimensions, choose both")
		}
		req.Intersections = append(req.Intersections, [2]string{a, b})
	}
	if v := q.Get("phase"); v != "" {
		req.Filter.Phase = v
	}
	req.Filter.Channel = q.Get("channel")
	req.Filter.Month = q.Get("month")
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return req, field.Invalid("version", fmt.Sprintf("version %q: give a version number, such as 2", v))
		}
		req.Filter.Version = n
	}
	if v := q.Get("compare"); v != "" {
		req.Compare = Compare(v)
	}
	if v := q.Get("k"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return req, field.Invalid("k", fmt.Sprintf("k %q: give a whole number of people, %d or more", v, MinK))
		}
		req.K = n
	}
	return req, nil
}

// Query is the query that asks for the request: ParseQuery's inverse, with
// what is the default left out.
func (req Request) Query() url.Values {
	q := url.Values{"by": req.Dimensions, "outcome": req.Outcomes}
	for _, c := range req.Intersections {
		q.Add("cross", c[0]+","+c[1])
	}
	def := DefaultRequest()
	set := func(name, v, dflt string) {
		if v != dflt {
			q.Set(name, v)
		}
	}
	set("phase", req.Filter.Phase, def.Filter.Phase)
	set("channel", req.Filter.Channel, "")
	set("month", req.Filter.Month, "")
	set("version", strconv.Itoa(req.Filter.Version), "0")
	set("compare", string(req.Compare), string(def.Compare))
	set("k", strconv.Itoa(req.K), strconv.Itoa(def.K))
	return q
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
