package store

import (
	"fmt"
	"regexp"
)

// slug is the shape of a firm or alliance ID: lower-case letters and
// digits in runs joined by single hyphens, as the reference's IDs are.
var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// MaxIDLen bounds a firm or alliance ID.
const MaxIDLen = 64

// CheckID reports why s cannot be the ID of a firm or alliance the user
// adds, or nil when it can.
func CheckID(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("an ID is needed, e.g. unitree")
	case len(s) > MaxIDLen:
		return fmt.Errorf("ID %q is longer than %d characters", CleanLine(s, MaxIDLen+8), MaxIDLen)
	case !slug.MatchString(s):
		return fmt.Errorf("ID %q is not a lower-case slug: use a-z, 0-9 and single hyphens, e.g. unitree or agibot-robotics", CleanLine(s, MaxIDLen+8))
	}
	return nil
}
