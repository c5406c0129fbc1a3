#ifndef DUCHA_CNCURSESW_SHIM_H
#define DUCHA_CNCURSESW_SHIM_H

// The wide-character API of ncurses (get_wch, mvaddnwstr, setcchar) is only declared
// when _XOPEN_SOURCE_EXTENDED is defined before the header is included.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Glibc's Swift module hides wcwidth; declare it so Swift can compare widths with the C library.
extern int wcwidth(wchar_t c);

// Globals and macros that Swift cannot import (or that are unsafe globals in Swift 6 mode)
// are exposed as small functions.
static inline WINDOW *ducha_stdscr(void) { return stdscr; }
static inline int ducha_lines(void) { return LINES; }
static inline FILE *ducha_stdin(void) { return stdin; }
static inline FILE *ducha_stdout(void) { return stdout; }
static inline int ducha_cols(void) { return COLS; }
static inline int ducha_color_pairs(void) { return COLOR_PAIRS; }
static inline int ducha_colors(void) { return COLORS; }

static inline attr_t ducha_a_normal(void) { return A_NORMAL; }
static inline attr_t ducha_a_bold(void) { return A_BOLD; }
static inline attr_t ducha_a_dim(void) { return A_DIM; }
static inline attr_t ducha_a_reverse(void) { return A_REVERSE; }
static inline attr_t ducha_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ducha_color_pair(short n) { return COLOR_PAIR(n); }

static inline int ducha_wcwidth(int c) { return wcwidth((wchar_t)c); }
static inline const char *ducha_setlocale_all(void) { return setlocale(LC_ALL, ""); }
static inline const char *ducha_setlocale_c_utf8(void) { return setlocale(LC_ALL, "C.UTF-8"); }

#endif
