package web

import (
	"net/http"
	"strconv"
)

// pathID reads the id named in the URL's pattern: a page that does not
// exist when it is not a number.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, errNotFound
	}
	return id, nil
}
