/*
 * An intrusive doubly-linked list, as Wine's include/wine/list.h: an entry is
 * embedded in the object it links, so linking and unlinking never allocate
 * and never fail, and unlinking is O(1) (teardown of N objects is O(N)).
 */
#ifndef MSSTORE_LIST_H
#define MSSTORE_LIST_H

#include <stddef.h>

struct list {
    struct list *next;
    struct list *prev;
};

static inline void list_init(struct list *head) { head->next = head->prev = head; }

static inline int list_empty(const struct list *head) { return head->next == head; }

static inline void list_add_tail(struct list *head, struct list *entry)
{
    entry->next = head;
    entry->prev = head->prev;
    head->prev->next = entry;
    head->prev = entry;
}

/* Unlinks entry and leaves it self-linked, so unlinking twice is harmless. */
static inline void list_remove(struct list *entry)
{
    entry->prev->next = entry->next;
    entry->next->prev = entry->prev;
    list_init(entry);
}

/* Moves every entry of src to the end of dst; src ends up empty. */
static inline void list_move_tail(struct list *dst, struct list *src)
{
    if (list_empty(src)) return;
    src->next->prev = dst->prev;
    dst->prev->next = src->next;
    src->prev->next = dst;
    dst->prev = src->prev;
    list_init(src);
}

#define LIST_ENTRY(elem, type, field) ((type *)((char *)(elem) - offsetof(type, field)))

#endif
