#include "objects/copy.h"

#include "model/model.h"

#include <string.h>

/* A value bigger than this goes to the destination through a stream: stores refuse big values in SetProps. */
#define STREAMED_VALUE_MIN MODEL_VALUE_INLINE_MAX

struct copy_source {
    BOOL is_message;
    struct prop_list values;                     /* whole: big ones read from the file */
    struct prop_list *recipients;                /* a message's rows, with PR_ROWID and PR_INSTANCE_KEY */
    ULONG recipient_count;
    struct copy_source **attachments;            /* a message's */
    ULONG attachment_count;
    struct copy_source *embedded;                /* an attachment's message, or NULL */
    SPropTagArray *named;                        /* the top one's: its ids from 0x8000, and their names */
    MAPINAMEID **names;
};

void copy_source_free(struct open_store *os, struct copy_source *source)
{
    ULONG i;
    if (!source) return;
    props_free(&os->alloc, &source->values);
    model_free_rows(&os->alloc, source->recipients, source->recipient_count);
    for (i = 0; i < source->attachment_count; i++) copy_source_free(os, source->attachments[i]);
    mapi_free(&os->alloc, source->attachments);
    copy_source_free(os, source->embedded);
    mapi_free(&os->alloc, source->named);
    mapi_free(&os->alloc, source->names);
    mapi_free(&os->alloc, source);
}

/* ---- reading the source (lock held) ---- */

static HRESULT read_message(struct open_store *os, const struct model_message *message, struct copy_source **out);

static HRESULT read_attachment(struct open_store *os, const struct model_attachment *attachment,
                               struct copy_source **out)
{
    struct copy_source *source = mapi_alloc_zeroed(&os->alloc, sizeof(*source));
    struct model_message *embedded = NULL;
    HRESULT hr = source ? model_attachment_values(os->model, attachment, &source->values) : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = model_attachment_embedded(os->model, attachment, FALSE, &embedded);
    if (hr == MAPI_E_NOT_FOUND) hr = S_OK; /* by value, by reference: no message in it */
    else if (SUCCEEDED(hr)) hr = read_message(os, embedded, &source->embedded);
    model_message_free(embedded);
    if (FAILED(hr)) {
        copy_source_free(os, source);
        return hr;
    }
    *out = source;
    return S_OK;
}

static HRESULT read_message(struct open_store *os, const struct model_message *message, struct copy_source **out)
{
    struct copy_source *source = mapi_alloc_zeroed(&os->alloc, sizeof(*source));
    ULONG count = model_message_attachment_count(message), i;
    HRESULT hr = source ? model_message_values(os->model, message, &source->values) : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        source->is_message = TRUE;
        hr = model_message_recipient_rows(os->model, message, &source->recipients, &source->recipient_count);
    }
    if (SUCCEEDED(hr) && !(source->attachments = mapi_alloc_zeroed(&os->alloc, (count + 1) * sizeof(*source->attachments))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        struct model_attachment *attachment;
        hr = model_attachment_open(os->model, message, model_message_attachment_num(message, i), &attachment);
        if (SUCCEEDED(hr)) hr = read_attachment(os, attachment, &source->attachments[i]);
        if (SUCCEEDED(hr)) source->attachment_count++;
        model_attachment_free(attachment);
    }
    if (FAILED(hr)) {
        copy_source_free(os, source);
        return hr;
    }
    *out = source;
    return S_OK;
}

/* Adds the named ids of a property list to tags (room for max), each once. */
static void collect_list(const struct prop_list *list, SPropTagArray *tags, ULONG max)
{
    ULONG i, j;
    for (i = 0; i < list->count; i++) {
        ULONG id = PROP_ID(list->values[i].ulPropTag);
        BOOL known = FALSE;
        if (id < MODEL_FIRST_NAMED_ID) continue;
        for (j = 0; j < tags->cValues && !known; j++) known = PROP_ID(tags->aulPropTag[j]) == id;
        if (!known && tags->cValues < max) tags->aulPropTag[tags->cValues++] = PROP_TAG(PT_UNSPECIFIED, id);
    }
}

/* How many values the source and everything in it hold: a bound on its named ids. */
static ULONG value_count(const struct copy_source *source)
{
    ULONG n = source->values.count, i;
    for (i = 0; i < source->recipient_count; i++) n += source->recipients[i].count;
    for (i = 0; i < source->attachment_count; i++) n += value_count(source->attachments[i]);
    if (source->embedded) n += value_count(source->embedded);
    return n;
}

static void collect_named(const struct copy_source *source, SPropTagArray *tags, ULONG max)
{
    ULONG i;
    collect_list(&source->values, tags, max);
    for (i = 0; i < source->recipient_count; i++) collect_list(&source->recipients[i], tags, max);
    for (i = 0; i < source->attachment_count; i++) collect_named(source->attachments[i], tags, max);
    if (source->embedded) collect_named(source->embedded, tags, max);
}

/* The names of the source's named ids, which the destination maps to its own. */
static HRESULT read_names(struct open_store *os, struct copy_source *source)
{
    ULONG max = value_count(source), count = 0;
    HRESULT hr;
    if (!(source->named = mapi_alloc_zeroed(&os->alloc, CbNewSPropTagArray(max + 1)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    collect_named(source, source->named, max);
    if (!source->named->cValues) return S_OK;
    hr = model_names_from_ids(os->model, &source->named, NULL, 0, &count, &source->names);
    return hr == MAPI_W_ERRORS_RETURNED ? S_OK : hr; /* an id without a name is left out of the copy */
}

/* The whole source tree, and its names. */
static HRESULT finish_source(struct open_store *os, struct copy_source *source, struct copy_source **out)
{
    HRESULT hr = read_names(os, source);
    if (FAILED(hr)) {
        copy_source_free(os, source);
        return hr;
    }
    *out = source;
    return S_OK;
}

HRESULT copy_source_of_message(struct open_store *os, const struct model_message *message, struct copy_source **out)
{
    struct copy_source *source = NULL;
    HRESULT hr = read_message(os, message, &source);
    *out = NULL;
    return FAILED(hr) ? hr : finish_source(os, source, out);
}

HRESULT copy_source_of_attachment(struct open_store *os, const struct model_attachment *attachment,
                                  struct copy_source **out)
{
    struct copy_source *source = NULL;
    HRESULT hr = read_attachment(os, attachment, &source);
    *out = NULL;
    return FAILED(hr) ? hr : finish_source(os, source, out);
}

/* ---- writing the copy (lock not held) ---- */

struct copy_run {
    const struct mapi_allocators *alloc;
    const struct copy_source *top;
    ULONG *dest_ids; /* for each of top->named, the destination's id (0: none) */
    ULONG problem_count, problem_capacity;
    SPropProblem *problems; /* a MAPI block */
};

static void add_problem(struct copy_run *run, ULONG index, ULONG tag, SCODE scode)
{
    if (!mapi_array_reserve(run->alloc, (void **)&run->problems, &run->problem_capacity, run->problem_count,
                            run->problem_count + 1, sizeof(*run->problems), 8))
        return; /* the copy stands; only the report of a refusal is lost */
    run->problems[run->problem_count].ulIndex = index;
    run->problems[run->problem_count].ulPropTag = tag;
    run->problems[run->problem_count++].scode = scode;
}

/* The tag in the destination: a named id is the destination's for its name; 0 when it has none. */
static ULONG dest_tag(const struct copy_run *run, ULONG tag)
{
    ULONG i;
    if (PROP_ID(tag) < MODEL_FIRST_NAMED_ID) return tag;
    for (i = 0; run->dest_ids && i < run->top->named->cValues; i++)
        if (PROP_ID(run->top->named->aulPropTag[i]) == PROP_ID(tag))
            return run->dest_ids[i] ? PROP_TAG(PROP_TYPE(tag), run->dest_ids[i]) : 0;
    return 0;
}

/* The destination's ids for the source's names, mapped there as needed. */
static HRESULT map_names(struct copy_run *run, IMAPIProp *dest)
{
    const SPropTagArray *named = run->top->named;
    MAPINAMEID **names;
    SPropTagArray *ids = NULL;
    ULONG count = 0, i, at = 0;
    HRESULT hr;
    if (!named || !named->cValues || !run->top->names) return S_OK;
    /* Only the ids that have a name are asked for: a NULL name is no name to another store. */
    if (!(run->dest_ids = mapi_alloc_zeroed(run->alloc, (named->cValues + 1) * sizeof(ULONG)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(names = mapi_alloc_zeroed(run->alloc, (named->cValues + 1) * sizeof(*names)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < named->cValues; i++)
        if (run->top->names[i]) names[count++] = run->top->names[i];
    hr = count ? dest->lpVtbl->GetIDsFromNames(dest, count, names, MAPI_CREATE, &ids) : S_OK;
    if (SUCCEEDED(hr) && count && ids && ids->cValues == count)
        for (i = 0; i < named->cValues; i++)
            if (run->top->names[i]) {
                ULONG tag = ids->aulPropTag[at++];
                run->dest_ids[i] = PROP_TYPE(tag) == PT_ERROR ? 0 : PROP_ID(tag);
            }
    mapi_free(run->alloc, names);
    mapi_free(run->alloc, ids); /* dest's block: MAPI's allocator, the one this logon was given */
    return hr == MAPI_W_ERRORS_RETURNED ? S_OK : hr;
}

static BOOL is_big(const SPropValue *value)
{
    switch (PROP_TYPE(value->ulPropTag)) {
    case PT_BINARY: return value->Value.bin.cb > STREAMED_VALUE_MIN;
    case PT_UNICODE: return wcslen(value->Value.lpszW) * sizeof(WCHAR) > STREAMED_VALUE_MIN;
    default: return FALSE;
    }
}

/* A big value through a stream of dest's; S_FALSE when dest has no stream for it (SetProps then). */
static HRESULT stream_value(IMAPIProp *dest, ULONG tag, const SPropValue *value)
{
    IUnknown *unknown = NULL;
    IStream *stream;
    const void *data;
    ULONG size, written = 0;
    HRESULT hr = dest->lpVtbl->OpenProperty(dest, tag, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY, &unknown);
    if (FAILED(hr) || !unknown) return S_FALSE;
    stream = (IStream *)unknown;
    /* The source's values are canonical (mapi/props.h): strings are wide. */
    if (PROP_TYPE(tag) == PT_BINARY) data = value->Value.bin.lpb, size = value->Value.bin.cb;
    else data = value->Value.lpszW, size = (ULONG)(wcslen(value->Value.lpszW) * sizeof(WCHAR));
    hr = stream->lpVtbl->Write(stream, data, size, &written);
    if (SUCCEEDED(hr) && written != size) hr = STG_E_MEDIUMFULL;
    if (SUCCEEDED(hr)) hr = stream->lpVtbl->Commit(stream, STGC_DEFAULT);
    stream->lpVtbl->Release(stream);
    return hr;
}

/* Whether a value of the source goes: not excluded (or, for CopyProps, included), not one dest has with noreplace. */
static BOOL goes(ULONG tag, const SPropTagArray *excluded, const SPropTagArray *included, const SPropTagArray *present)
{
    if (excluded && props_id_listed(excluded->aulPropTag, excluded->cValues, tag)) return FALSE;
    if (included && !props_id_listed(included->aulPropTag, included->cValues, tag)) return FALSE;
    if (present && props_id_listed(present->aulPropTag, present->cValues, tag)) return FALSE;
    return TRUE;
}

/* The values of list that go, into dest: small ones in one SetProps, big ones through streams. */
static HRESULT write_values(struct copy_run *run, IMAPIProp *dest, const struct prop_list *list,
                            const SPropTagArray *excluded, const SPropTagArray *included, BOOL noreplace)
{
    SPropTagArray *present = NULL;
    SPropValue *batch;
    SPropProblemArray *refused = NULL;
    ULONG count = 0, i;
    HRESULT hr = S_OK;
    if (noreplace && FAILED(hr = dest->lpVtbl->GetPropList(dest, MAPI_UNICODE, &present))) return hr;
    if (!(batch = mapi_alloc_zeroed(run->alloc, (list->count + 1) * sizeof(*batch)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < list->count; i++) {
        const SPropValue *value = &list->values[i];
        ULONG tag = dest_tag(run, value->ulPropTag);
        if (!goes(value->ulPropTag, excluded, included, present)) continue;
        if (!tag) { /* a named property without a name, or one the destination could not map */
            add_problem(run, i, value->ulPropTag, MAPI_E_UNEXPECTED_ID);
            continue;
        }
        if (is_big(value) && (hr = stream_value(dest, tag, value)) != S_FALSE) {
            if (FAILED(hr)) add_problem(run, i, value->ulPropTag, hr), hr = S_OK;
            continue;
        }
        batch[count] = *value;
        batch[count++].ulPropTag = tag;
        hr = S_OK;
    }
    if (SUCCEEDED(hr) && count) hr = dest->lpVtbl->SetProps(dest, count, batch, &refused);
    for (i = 0; SUCCEEDED(hr) && refused && i < refused->cProblem; i++)
        add_problem(run, refused->aProblem[i].ulIndex, refused->aProblem[i].ulPropTag, refused->aProblem[i].scode);
    mapi_free(run->alloc, refused);
    mapi_free(run->alloc, present);
    mapi_free(run->alloc, batch);
    return hr;
}

/* The recipient rows as an ADRLIST for ModifyRecipients(0): the store's PR_ROWID and PR_INSTANCE_KEY left out. */
static HRESULT write_recipients(struct copy_run *run, IMessage *dest, const struct copy_source *source)
{
    ADRLIST *list = mapi_alloc_zeroed(run->alloc, CbNewADRLIST(source->recipient_count + 1));
    HRESULT hr = list ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    ULONG i, j;
    for (i = 0; SUCCEEDED(hr) && i < source->recipient_count; i++) {
        const struct prop_list *row = &source->recipients[i];
        ADRENTRY *entry = &list->aEntries[list->cEntries];
        if (!(entry->rgPropVals = mapi_alloc_more(run->alloc, (row->count + 1) * sizeof(SPropValue), list))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        for (j = 0; j < row->count; j++) {
            ULONG tag = dest_tag(run, row->values[j].ulPropTag);
            if (!tag || row->values[j].ulPropTag == PR_ROWID || row->values[j].ulPropTag == PR_INSTANCE_KEY) continue;
            entry->rgPropVals[entry->cValues] = row->values[j];
            entry->rgPropVals[entry->cValues++].ulPropTag = tag;
        }
        list->cEntries++;
    }
    if (SUCCEEDED(hr)) hr = dest->lpVtbl->ModifyRecipients(dest, 0, list);
    mapi_free(run->alloc, list);
    return hr;
}

static HRESULT write_message(struct copy_run *run, IMessage *dest, const struct copy_source *source,
                             const SPropTagArray *excluded, const SPropTagArray *included, BOOL noreplace);

/* An embedded message, new in dest (an attachment), saved into it. */
static HRESULT write_embedded(struct copy_run *run, IAttach *dest, const struct copy_source *embedded)
{
    IUnknown *unknown = NULL;
    IMessage *message;
    HRESULT hr = dest->lpVtbl->OpenProperty(dest, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                            &unknown);
    if (FAILED(hr)) return hr;
    message = (IMessage *)unknown;
    hr = write_message(run, message, embedded, NULL, NULL, FALSE);
    if (SUCCEEDED(hr)) hr = message->lpVtbl->SaveChanges(message, 0);
    message->lpVtbl->Release(message);
    return hr;
}

static HRESULT write_attachment(struct copy_run *run, IAttach *dest, const struct copy_source *source,
                                const SPropTagArray *excluded, const SPropTagArray *included, BOOL noreplace)
{
    HRESULT hr = write_values(run, (IMAPIProp *)dest, &source->values, excluded, included, noreplace);
    if (SUCCEEDED(hr) && source->embedded && goes(PR_ATTACH_DATA_OBJ, excluded, included, NULL))
        hr = write_embedded(run, dest, source->embedded);
    return hr;
}

static HRESULT write_message(struct copy_run *run, IMessage *dest, const struct copy_source *source,
                             const SPropTagArray *excluded, const SPropTagArray *included, BOOL noreplace)
{
    HRESULT hr = write_values(run, (IMAPIProp *)dest, &source->values, excluded, included, noreplace);
    ULONG i;
    if (SUCCEEDED(hr) && goes(PR_MESSAGE_RECIPIENTS, excluded, included, NULL))
        hr = write_recipients(run, dest, source);
    for (i = 0; SUCCEEDED(hr) && goes(PR_MESSAGE_ATTACHMENTS, excluded, included, NULL) && i < source->attachment_count;
         i++) {
        IAttach *attach = NULL;
        ULONG num = 0;
        hr = dest->lpVtbl->CreateAttach(dest, NULL, 0, &num, &attach);
        if (SUCCEEDED(hr)) hr = write_attachment(run, attach, source->attachments[i], NULL, NULL, FALSE);
        if (SUCCEEDED(hr)) hr = attach->lpVtbl->SaveChanges(attach, 0);
        if (attach) attach->lpVtbl->Release(attach);
    }
    return hr;
}

HRESULT copy_source_write(struct open_store *os, const struct copy_source *source, IUnknown *dest,
                          const SPropTagArray *excluded, const SPropTagArray *included, ULONG flags,
                          SPropProblemArray **problems)
{
    struct copy_run run = {&os->alloc, source, NULL, 0, 0, NULL};
    BOOL noreplace = (flags & MAPI_NOREPLACE) != 0;
    HRESULT hr = map_names(&run, (IMAPIProp *)dest);
    if (SUCCEEDED(hr))
        hr = source->is_message ? write_message(&run, (IMessage *)dest, source, excluded, included, noreplace)
                                : write_attachment(&run, (IAttach *)dest, source, excluded, included, noreplace);
    if (SUCCEEDED(hr) && run.problem_count && problems) {
        SPropProblemArray *out = mapi_alloc_zeroed(&os->alloc, CbNewSPropProblemArray(run.problem_count));
        if (out) {
            out->cProblem = run.problem_count;
            memcpy(out->aProblem, run.problems, run.problem_count * sizeof(*run.problems));
        }
        *problems = out; /* NULL when it could not be made: the copy stands */
    }
    mapi_free(&os->alloc, run.problems);
    mapi_free(&os->alloc, run.dest_ids);
    return hr;
}

HRESULT copy_source_moved(struct open_store *os, const struct copy_source *source, const SPropTagArray *excluded,
                          const SPropTagArray *included, SPropTagArray **out)
{
    SPropTagArray *tags = mapi_alloc_zeroed(&os->alloc, CbNewSPropTagArray(source->values.count + 1));
    ULONG i;
    *out = NULL;
    if (!tags) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < source->values.count; i++)
        if (goes(source->values.values[i].ulPropTag, excluded, included, NULL))
            tags->aulPropTag[tags->cValues++] = source->values.values[i].ulPropTag;
    *out = tags;
    return S_OK;
}
