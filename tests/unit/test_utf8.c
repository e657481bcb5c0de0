/* common/utf8.c: the one UTF-8 rule, at each edge of RFC 3629's table. */
#include "check_main.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* utf8_seq over the whole of a string literal (its bytes, not its NUL). */
#define SEQ(lit) utf8_seq((const unsigned char *)(lit), sizeof(lit) - 1)

START_TEST(utf8_ascii_is_one_byte_and_nul_counts_as_ascii)
{
    ck_assert_uint_eq(SEQ("a"), 1);
    ck_assert_uint_eq(SEQ("\x7F"), 1);
    ck_assert_uint_eq(utf8_seq((const unsigned char *)"", 1), 1);
}
END_TEST

START_TEST(utf8_smallest_and_largest_of_each_length_are_valid)
{
    ck_assert_uint_eq(SEQ("\xC2\x80"), 2);         /* U+0080 */
    ck_assert_uint_eq(SEQ("\xDF\xBF"), 2);         /* U+07FF */
    ck_assert_uint_eq(SEQ("\xE0\xA0\x80"), 3);     /* U+0800 */
    ck_assert_uint_eq(SEQ("\xED\x9F\xBF"), 3);     /* U+D7FF, just below the surrogates */
    ck_assert_uint_eq(SEQ("\xEE\x80\x80"), 3);     /* U+E000, just above them */
    ck_assert_uint_eq(SEQ("\xEF\xBF\xBF"), 3);     /* U+FFFF */
    ck_assert_uint_eq(SEQ("\xF0\x90\x80\x80"), 4); /* U+10000 */
    ck_assert_uint_eq(SEQ("\xF4\x8F\xBF\xBF"), 4); /* U+10FFFF, the last code point */
}
END_TEST

START_TEST(utf8_overlong_forms_are_refused)
{
    ck_assert_uint_eq(SEQ("\xC0\xBC"), 0);         /* '<' in two bytes */
    ck_assert_uint_eq(SEQ("\xC1\xBF"), 0);         /* U+007F in two bytes */
    ck_assert_uint_eq(SEQ("\xE0\x9F\xBF"), 0);     /* U+07FF in three */
    ck_assert_uint_eq(SEQ("\xE0\x80\xBC"), 0);     /* '<' in three */
    ck_assert_uint_eq(SEQ("\xF0\x8F\xBF\xBF"), 0); /* U+FFFF in four */
}
END_TEST

START_TEST(utf8_surrogates_are_refused)
{
    ck_assert_uint_eq(SEQ("\xED\xA0\x80"), 0); /* U+D800 */
    ck_assert_uint_eq(SEQ("\xED\xBF\xBF"), 0); /* U+DFFF */
}
END_TEST

START_TEST(utf8_past_u10ffff_is_refused)
{
    ck_assert_uint_eq(SEQ("\xF4\x90\x80\x80"), 0); /* U+110000 */
    ck_assert_uint_eq(SEQ("\xF5\x80\x80\x80"), 0); /* a lead byte that can only go past it */
    ck_assert_uint_eq(SEQ("\xFF"), 0);
}
END_TEST

START_TEST(utf8_truncated_and_broken_sequences_are_refused)
{
    ck_assert_uint_eq(SEQ("\x80"), 0);         /* a lone continuation byte */
    ck_assert_uint_eq(SEQ("\xC3"), 0);         /* cut by the end of the bytes */
    ck_assert_uint_eq(SEQ("\xE2\x82"), 0);     /* 2 of 3 */
    ck_assert_uint_eq(SEQ("\xF0\x9F\x98"), 0); /* 3 of 4 */
    ck_assert_uint_eq(SEQ("\xE2\x82\x41"), 0); /* ASCII where a continuation belongs */
    ck_assert_uint_eq(SEQ("\xC3\x00"), 0);     /* a NUL in the middle */
    /* A complete sequence is not read past left, and is refused when left is short. */
    ck_assert_uint_eq(utf8_seq((const unsigned char *)"\xE2\x82\xAC", 2), 0);
    ck_assert_uint_eq(utf8_seq((const unsigned char *)"\xE2\x82\xACzz", 5), 3);
}
END_TEST

START_TEST(utf8_four_bytes_is_the_longest_sequence)
{
    /* U+1F600 then more continuation bytes: the sequence is 4 long, the rest is not part
     * of it (and alone it is invalid). */
    const unsigned char s[] = "\xF0\x9F\x98\x80\x80\x80";
    ck_assert_uint_eq(utf8_seq(s, sizeof s - 1), 4);
    ck_assert_uint_eq(utf8_seq(s + 4, sizeof s - 5), 0);
    ck_assert_uint_eq(SEQ("\xF8\x88\x80\x80\x80"), 0); /* a 5-byte form */
}
END_TEST

#define BIDI(lit) utf8_bidi((const unsigned char *)(lit), sizeof(lit) - 1)

START_TEST(bidi_controls_are_exactly_the_embeddings_overrides_isolates_and_marks)
{
    ck_assert_uint_eq(BIDI("\xD8\x9C"), 2);        /* U+061C ARABIC LETTER MARK */
    ck_assert_uint_eq(BIDI("\xE2\x80\x8E"), 3);    /* U+200E LRM */
    ck_assert_uint_eq(BIDI("\xE2\x80\x8F"), 3);    /* U+200F RLM */
    for (unsigned char c = 0xAA; c <= 0xAE; c++) { /* U+202A LRE to U+202E RLO */
        const unsigned char s[] = {0xE2, 0x80, c};
        ck_assert_uint_eq(utf8_bidi(s, 3), 3);
    }
    for (unsigned char c = 0xA6; c <= 0xA9; c++) { /* U+2066 LRI to U+2069 PDI */
        const unsigned char s[] = {0xE2, 0x81, c};
        ck_assert_uint_eq(utf8_bidi(s, 3), 3);
    }
    /* their neighbours are ordinary text (or invisible but harmless to the order) */
    ck_assert_uint_eq(BIDI("\xD8\x9B"), 0);      /* U+061B */
    ck_assert_uint_eq(BIDI("\xD8\x9D"), 0);      /* U+061D */
    ck_assert_uint_eq(BIDI("\xE2\x80\x8D"), 0);  /* U+200D ZWJ */
    ck_assert_uint_eq(BIDI("\xE2\x80\x90"), 0);  /* U+2010 */
    ck_assert_uint_eq(BIDI("\xE2\x80\xA9"), 0);  /* U+2029 */
    ck_assert_uint_eq(BIDI("\xE2\x80\xAF"), 0);  /* U+202F */
    ck_assert_uint_eq(BIDI("\xE2\x81\xA5"), 0);  /* U+2065 */
    ck_assert_uint_eq(BIDI("\xE2\x81\xAA"), 0);  /* U+206A */
    ck_assert_uint_eq(BIDI("a\xE2\x80\xAE"), 0); /* only at p */
    /* never read past left */
    ck_assert_uint_eq(utf8_bidi((const unsigned char *)"\xE2\x80\xAE", 2), 0);
    ck_assert_uint_eq(utf8_bidi((const unsigned char *)"\xD8\x9C", 1), 0);
}
END_TEST

START_TEST(unbidi_shows_each_control_as_u_fffd_and_keeps_everything_else)
{
    char out[64];
    ck_assert_str_eq(utf8_unbidi(out, "invoice\xE2\x80\xAEgpj.exe"), "invoice\xEF\xBF\xBDgpj.exe");
    ck_assert_str_eq(utf8_unbidi(out, "\xE2\x81\xA6x\xE2\x81\xA9\xD8\x9C"),
                     "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD");
    ck_assert_str_eq(utf8_unbidi(out, "Z\xC3\xBCrich \xE2\x80\x93 \xD8\xB9\xD8\xB1"),
                     "Z\xC3\xBCrich \xE2\x80\x93 \xD8\xB9\xD8\xB1"); /* Arabic letters stay */
    ck_assert_str_eq(utf8_unbidi(out, ""), "");
    /* the worst case, 2-byte controls only, grows by half: UTF8_UNBIDI_SIZE is enough */
    const char alm[] = "\xD8\x9C\xD8\x9C\xD8\x9C\xD8\x9C";
    char *dup = utf8_unbidi_dup(alm);
    ck_assert_ptr_nonnull(dup);
    ck_assert_uint_eq(strlen(dup), 12);
    ck_assert_uint_eq(UTF8_UNBIDI_SIZE(sizeof alm - 1), 13);
    ck_assert_str_eq(dup, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    free(dup);
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8_seq");
    tcase_add_test(tc, utf8_ascii_is_one_byte_and_nul_counts_as_ascii);
    tcase_add_test(tc, utf8_smallest_and_largest_of_each_length_are_valid);
    tcase_add_test(tc, utf8_overlong_forms_are_refused);
    tcase_add_test(tc, utf8_surrogates_are_refused);
    tcase_add_test(tc, utf8_past_u10ffff_is_refused);
    tcase_add_test(tc, utf8_truncated_and_broken_sequences_are_refused);
    tcase_add_test(tc, utf8_four_bytes_is_the_longest_sequence);
    tcase_add_test(tc, bidi_controls_are_exactly_the_embeddings_overrides_isolates_and_marks);
    tcase_add_test(tc, unbidi_shows_each_control_as_u_fffd_and_keeps_everything_else);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(utf8_suite)
