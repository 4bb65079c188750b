package survey

// What a draft is counted as taking in the database besides its answers
// (see DraftCost).
const (
	// draftRow covers a draft's other columns and its entries in the two
	// indexes, by code and by the day it expires.
	draftRow = 512
	// draftPageSlack is the most of a page a draft can leave unused: half
	// a 4 KB SQLite page, one 2 KB chunk of a PostgreSQL page.
	draftPageSlack = 2048
)

// DraftCost is the space a draft whose answers take answersJSON bytes as
// JSON is counted as taking in the database, so that the space allowed
// saved answers bounds the disk they use, however small each one is. It
// is more than a draft takes on either engine at any size:
//
//   - draftRow for the rest of the row and its index entries: an empty
//     draft took 210 bytes on SQLite and 290 on PostgreSQL (250 and 320
//     with a channel code of 40 characters, the longest);
//   - as much again as the answers, up to draftPageSlack, for pages not
//     filled to the brim. SQLite keeps a row of up to a page on one 4 KB
//     page, so rows just over half a page leave almost half of each page
//     empty (a draft of 2,000 bytes took 4,200). PostgreSQL moves answers
//     over about 2 KB into chunks of 2 KB, four to an 8 KB page, where a
//     short last chunk can leave a chunk's room unused (6,000 bytes took
//     8,640);
//   - an eighth of the answers for the headers and index entries of those
//     chunks, about 3.4% (160,000 bytes took 166,100 on PostgreSQL and
//     160,400 on SQLite).
//
// Measured by saving drafts of 19 sizes from empty to 160,000 bytes, with
// random answers that PostgreSQL cannot compress, into new databases
// (SQLite 3 with 4 KB pages, PostgreSQL 15 with 8 KB pages), and dividing
// the growth of the SQLite file (page_count × page_size) and of
// pg_total_relation_size('drafts') by the number of drafts saved, as the
// store's BenchmarkDraftDisk does; its TestDraftSpaceOnDisk checks the
// bound at the worst sizes.
func DraftCost(answersJSON int) int64 {
	a := int64(answersJSON)
	return draftRow + a + min(a, draftPageSlack) + a/8
}
