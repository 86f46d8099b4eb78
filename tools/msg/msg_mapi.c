/* The .msg model into and out of an IMessage, through the MAPI interfaces alone. */
#include "msg_mapi.h"

#include "msstore/mapi_types.h"

#include <mapiutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PidTagInternetCodepage: an ANSI file's code page when PR_MESSAGE_CODEPAGE is absent. */
#define PR_INTERNET_CPID PROP_TAG(PT_LONG, 0x3FDE)

/* A value this big goes through OpenProperty's stream, as GetProps does not give it ([MS-OXCPRPT] 16 KB). */
#define STREAMED_VALUE (16 * 1024)
#define QUERY_ROWS 100

/* What names the message inside its store only, and means nothing in a file. */
static BOOL store_only(ULONG tag)
{
    switch (tag) {
    case PR_ENTRYID: case PR_PARENT_ENTRYID: case PR_STORE_ENTRYID: case PR_STORE_RECORD_KEY:
    case PR_RECORD_KEY: case PR_INSTANCE_KEY: case PR_MAPPING_SIGNATURE: case PR_OBJECT_TYPE:
    case PR_ACCESS: case PR_ACCESS_LEVEL: case PR_STORE_SUPPORT_MASK: case PR_MDB_PROVIDER:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Where one value of p sits: fixed-size values at the union's start (or in its arrays), the others by pointer. */
static const void *element_of(const SPropValue *p, ULONG i, ULONG *size)
{
    ULONG type = PROP_TYPE(p->ulPropTag), fixed = msg_fixed_size(type);
    if (!(type & MV_FLAG)) {
        switch (type) {
        case PT_CLSID: *size = 16; return p->Value.lpguid;
        case PT_STRING8: *size = (ULONG)strlen(p->Value.lpszA); return p->Value.lpszA;
        case PT_UNICODE: *size = (ULONG)wcslen(p->Value.lpszW) * 2; return p->Value.lpszW;
        case PT_BINARY: *size = p->Value.bin.cb; return p->Value.bin.lpb;
        default: *size = fixed; return &p->Value;
        }
    }
    switch (type) {
    case PT_MV_STRING8: *size = (ULONG)strlen(p->Value.MVszA.lppszA[i]); return p->Value.MVszA.lppszA[i];
    case PT_MV_UNICODE: *size = (ULONG)wcslen(p->Value.MVszW.lppszW[i]) * 2; return p->Value.MVszW.lppszW[i];
    case PT_MV_BINARY: *size = p->Value.MVbin.lpbin[i].cb; return p->Value.MVbin.lpbin[i].lpb;
    default: *size = fixed; return (const char *)p->Value.MVi.lpi + (size_t)i * fixed;
    }
}

/* The code page of an ANSI message's strings ([MS-OXMSG] 2.1.2). */
static UINT code_page(const struct msg_object *object)
{
    const struct msg_prop *p = msg_find_prop(object, PR_MESSAGE_CODEPAGE);
    LONG value = 0;
    if (!p) p = msg_find_prop(object, PR_INTERNET_CPID);
    if (p) memcpy(&value, p->values[0].bytes, sizeof(value));
    return value > 0 ? (UINT)value : 1252;
}

/* ==== out of a message ==== */

struct exporter {
    const struct msg_allocator *memory;
    struct msg_file *file;
};

/* The file's id for a store's named property (asked of object), or 0 when it has no name. */
static ULONG file_prop_id(struct exporter *e, IMAPIProp *object, ULONG tag)
{
    SizedSPropTagArray(1, one) = {1, {tag}};
    LPSPropTagArray asked = (LPSPropTagArray)&one;
    LPMAPINAMEID *names = NULL;
    ULONG count = 0, id = 0;
    if (SUCCEEDED(object->lpVtbl->GetNamesFromIDs(object, &asked, NULL, 0, &count, &names)) && count == 1 &&
        names[0]) {
        const MAPINAMEID *n = names[0];
        if (n->ulKind == MNID_STRING)
            id = msg_name_id(e->file, n->lpguid, TRUE, 0, (const unsigned char *)n->Kind.lpwstrName,
                             (ULONG)wcslen(n->Kind.lpwstrName) * 2);
        else
            id = msg_name_id(e->file, n->lpguid, FALSE, (ULONG)n->Kind.lID, NULL, 0);
    }
    e->memory->free(names);
    return id;
}

/* A value too big for GetProps, read whole from its stream. */
static HRESULT read_streamed(IMAPIProp *object, ULONG tag, struct msg_value *value)
{
    static unsigned char chunk[65536];
    IStream *stream = NULL;
    ULONG got = 0;
    unsigned char *grown;
    HRESULT hr = object->lpVtbl->OpenProperty(object, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&stream);
    while (SUCCEEDED(hr) && SUCCEEDED(hr = stream->lpVtbl->Read(stream, chunk, sizeof(chunk), &got)) && got) {
        if (value->size + got > MSG_MOST_STREAM || !(grown = realloc(value->bytes, value->size + got))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        value->bytes = grown;
        memcpy(value->bytes + value->size, chunk, got);
        value->size += got;
    }
    if (stream) stream->lpVtbl->Release(stream);
    if (PROP_TYPE(tag) == PT_UNICODE && value->size >= 2 && !value->bytes[value->size - 1] &&
        !value->bytes[value->size - 2])
        value->size -= 2;
    return hr;
}

/* One SPropValue into out, its named id renumbered for the file (asked of names_of); skipped when unnamed. */
static HRESULT add_value(struct exporter *e, IMAPIProp *names_of, const SPropValue *p, struct msg_object *out)
{
    ULONG type = PROP_TYPE(p->ulPropTag), id = PROP_ID(p->ulPropTag), count = 1, i, size;
    struct msg_prop *prop;
    if (id >= 0x8000 && !(id = file_prop_id(e, names_of, p->ulPropTag))) return S_OK;
    if (type & MV_FLAG) count = p->Value.MVl.cValues;
    if (!(prop = msg_add_prop(out, PROP_TAG(type, id), count))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++) {
        const void *bytes = element_of(p, i, &size);
        unsigned char fixed[8] = {0};
        if (!(type & MV_FLAG) && !msg_type_in_stream(type)) { /* a fixed value: its 8 bytes in the property stream */
            memcpy(fixed, bytes, size);
            bytes = fixed, size = 8;
        }
        if (msg_set_value(&prop->values[i], bytes, size) != MSG_OK) return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return S_OK;
}

/* Every property of object but the store's own and PT_OBJECT ones; big values through their streams. */
static HRESULT export_props(struct exporter *e, IMAPIProp *object, IMAPIProp *names_of, struct msg_object *out)
{
    LPSPropTagArray list = NULL;
    LPSPropValue values = NULL;
    ULONG count = 0, i, kept = 0;
    HRESULT hr = object->lpVtbl->GetPropList(object, MAPI_UNICODE, &list);
    if (FAILED(hr)) return hr;
    for (i = 0; i < list->cValues; i++)
        if (PROP_TYPE(list->aulPropTag[i]) != PT_OBJECT && !store_only(list->aulPropTag[i]))
            list->aulPropTag[kept++] = list->aulPropTag[i];
    list->cValues = kept;
    if (kept) hr = object->lpVtbl->GetProps(object, list, MAPI_UNICODE, &count, &values);
    for (i = 0; SUCCEEDED(hr) && kept && i < count; i++) {
        ULONG asked = list->aulPropTag[i];
        if (PROP_TYPE(values[i].ulPropTag) != PT_ERROR || PROP_TYPE(asked) == PT_ERROR) {
            hr = add_value(e, names_of, &values[i], out);
        } else if (values[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
            SPropValue streamed;
            struct msg_value whole = {0, NULL};
            hr = read_streamed(object, asked, &whole);
            memset(&streamed, 0, sizeof(streamed));
            streamed.ulPropTag = asked;
            if (SUCCEEDED(hr) && PROP_TYPE(asked) == PT_BINARY) {
                streamed.Value.bin.cb = whole.size, streamed.Value.bin.lpb = whole.bytes;
                hr = add_value(e, names_of, &streamed, out);
            } else if (SUCCEEDED(hr)) { /* a string: kept as its bytes, whatever the width */
                struct msg_prop *prop = NULL;
                ULONG id = PROP_ID(asked);
                if (id >= 0x8000) id = file_prop_id(e, names_of, asked);
                if (id && !(prop = msg_add_prop(out, PROP_TAG(PROP_TYPE(asked), id), 1))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                if (prop) prop->values[0] = whole, whole.bytes = NULL;
            }
            free(whole.bytes);
        } /* any other error: the object has no value there */
    }
    if (SUCCEEDED(hr)) hr = S_OK;
    e->memory->free(values);
    e->memory->free(list);
    return hr;
}

static void free_rows(const struct msg_allocator *memory, LPSRowSet rows)
{
    ULONG i;
    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) memory->free(rows->aRow[i].lpProps);
    memory->free(rows);
}

/* Each row of the recipient table with every column, as one recipient. */
static HRESULT export_recipients(struct exporter *e, IMessage *message, struct msg_object *out)
{
    IMAPITable *table = NULL;
    LPSPropTagArray columns = NULL;
    LPSRowSet rows = NULL;
    ULONG i, j;
    HRESULT hr = message->lpVtbl->GetRecipientTable(message, MAPI_UNICODE, &table);
    if (SUCCEEDED(hr) && SUCCEEDED(table->lpVtbl->QueryColumns(table, TBL_ALL_COLUMNS, &columns)))
        hr = table->lpVtbl->SetColumns(table, columns, 0);
    while (SUCCEEDED(hr) && SUCCEEDED(hr = table->lpVtbl->QueryRows(table, QUERY_ROWS, 0, &rows)) && rows->cRows) {
        struct msg_object *grown = realloc(out->recipients, (out->recipient_count + rows->cRows) * sizeof(*grown));
        if (!grown) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else out->recipients = grown;
        for (i = 0; SUCCEEDED(hr) && i < rows->cRows; i++) {
            struct msg_object *recipient = &out->recipients[out->recipient_count++];
            memset(recipient, 0, sizeof(*recipient));
            for (j = 0; SUCCEEDED(hr) && j < rows->aRow[i].cValues; j++) {
                const SPropValue *p = &rows->aRow[i].lpProps[j];
                if (PROP_TYPE(p->ulPropTag) != PT_ERROR && PROP_TYPE(p->ulPropTag) != PT_OBJECT && !store_only(p->ulPropTag))
                    hr = add_value(e, (IMAPIProp *)message, p, recipient);
            }
        }
        free_rows(e->memory, rows);
        rows = NULL;
    }
    free_rows(e->memory, rows);
    e->memory->free(columns);
    if (table) table->lpVtbl->Release(table);
    return hr;
}

static HRESULT export_message(struct exporter *e, IMessage *message, int depth, struct msg_object *out);

/* One attachment: its properties, and an embedded message's whole content. */
static HRESULT export_attachment(struct exporter *e, IAttach *attach, int depth, struct msg_object *out)
{
    struct msg_prop *method;
    IMessage *inner = NULL;
    HRESULT hr = export_props(e, (IMAPIProp *)attach, (IMAPIProp *)attach, out);
    method = SUCCEEDED(hr) ? msg_find_prop(out, PR_ATTACH_METHOD) : NULL;
    if (!method || *(const LONG *)method->values[0].bytes != ATTACH_EMBEDDED_MSG) return hr;
    if (depth + 1 > MSG_MOST_DEPTH) return MAPI_E_TOO_COMPLEX;
    hr = attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (LPUNKNOWN *)&inner);
    if (SUCCEEDED(hr) && !(out->embedded = calloc(1, sizeof(*out->embedded)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = export_message(e, inner, depth + 1, out->embedded);
    if (inner) inner->lpVtbl->Release(inner);
    return hr;
}

static HRESULT export_attachments(struct exporter *e, IMessage *message, int depth, struct msg_object *out)
{
    SizedSPropTagArray(1, num) = {1, {PR_ATTACH_NUM}};
    IMAPITable *table = NULL;
    LPSRowSet rows = NULL;
    ULONG i;
    HRESULT hr = message->lpVtbl->GetAttachmentTable(message, 0, &table);
    if (SUCCEEDED(hr)) hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)&num, 0);
    while (SUCCEEDED(hr) && SUCCEEDED(hr = table->lpVtbl->QueryRows(table, QUERY_ROWS, 0, &rows)) && rows->cRows) {
        struct msg_object *grown = realloc(out->attachments, (out->attachment_count + rows->cRows) * sizeof(*grown));
        if (!grown) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else out->attachments = grown;
        for (i = 0; SUCCEEDED(hr) && i < rows->cRows; i++) {
            struct msg_object *attachment = &out->attachments[out->attachment_count++];
            IAttach *attach = NULL;
            memset(attachment, 0, sizeof(*attachment));
            if (rows->aRow[i].lpProps[0].ulPropTag != PR_ATTACH_NUM) hr = MAPI_E_CORRUPT_DATA;
            else hr = message->lpVtbl->OpenAttach(message, rows->aRow[i].lpProps[0].Value.l, NULL, 0, &attach);
            if (SUCCEEDED(hr)) hr = export_attachment(e, attach, depth, attachment);
            if (attach) attach->lpVtbl->Release(attach);
        }
        free_rows(e->memory, rows);
        rows = NULL;
    }
    free_rows(e->memory, rows);
    if (table) table->lpVtbl->Release(table);
    return hr;
}

static HRESULT export_message(struct exporter *e, IMessage *message, int depth, struct msg_object *out)
{
    HRESULT hr = export_props(e, (IMAPIProp *)message, (IMAPIProp *)message, out);
    if (SUCCEEDED(hr)) hr = export_recipients(e, message, out);
    if (SUCCEEDED(hr)) hr = export_attachments(e, message, depth, out);
    return hr;
}

/* One UTF-16 value in code page cp; FALSE when cp cannot hold every character of it. */
static BOOL ansi_value(struct msg_value *v, UINT cp)
{
    int units = (int)(v->size / 2), size, back;
    char *bytes;
    WCHAR *check;
    BOOL same;
    if (!units) return TRUE;
    size = WideCharToMultiByte(cp, 0, (const WCHAR *)v->bytes, units, NULL, 0, NULL, NULL);
    if (size <= 0 || !(bytes = malloc((size_t)size))) return FALSE;
    WideCharToMultiByte(cp, 0, (const WCHAR *)v->bytes, units, bytes, size, NULL, NULL);
    /* What does not come back the same (a '?' or a best fit) is not in the code page. */
    back = MultiByteToWideChar(cp, 0, bytes, size, NULL, 0);
    same = back == units && (check = malloc((size_t)back * sizeof(WCHAR))) != NULL;
    if (same) {
        MultiByteToWideChar(cp, 0, bytes, size, check, back);
        same = !memcmp(check, v->bytes, (size_t)units * sizeof(WCHAR));
        free(check);
    }
    if (!same) {
        free(bytes);
        return FALSE;
    }
    free(v->bytes);
    v->bytes = (unsigned char *)bytes;
    v->size = (ULONG)size;
    return TRUE;
}

/* An ANSI file's strings: every PT_UNICODE value of object (and its children) as PT_STRING8 in cp. */
static HRESULT strings_to_ansi(struct msg_object *object, UINT cp)
{
    ULONG i, j;
    HRESULT hr = S_OK;
    for (i = 0; i < object->prop_count; i++) {
        struct msg_prop *prop = &object->props[i];
        if ((PROP_TYPE(prop->tag) & ~MV_FLAG) != PT_UNICODE) continue;
        for (j = 0; j < prop->count; j++)
            if (!ansi_value(&prop->values[j], cp)) return MAPI_E_UNKNOWN_CPID;
        prop->tag = CHANGE_PROP_TYPE(prop->tag, (PROP_TYPE(prop->tag) & MV_FLAG) | PT_STRING8);
    }
    for (i = 0; SUCCEEDED(hr) && i < object->recipient_count; i++) hr = strings_to_ansi(&object->recipients[i], cp);
    for (i = 0; SUCCEEDED(hr) && i < object->attachment_count; i++) {
        hr = strings_to_ansi(&object->attachments[i], cp);
        if (SUCCEEDED(hr) && object->attachments[i].embedded)
            hr = strings_to_ansi(object->attachments[i].embedded, code_page(object->attachments[i].embedded));
    }
    return hr;
}

HRESULT msg_from_message(IMessage *message, const struct msg_allocator *memory, BOOL ansi, struct msg_file *out)
{
    struct exporter e = {memory, out};
    struct msg_prop *mask;
    HRESULT hr;
    memset(out, 0, sizeof(*out));
    hr = export_message(&e, message, 0, &out->message);
    if (SUCCEEDED(hr) && ansi) return strings_to_ansi(&out->message, code_page(&out->message));
    /* A Unicode file says so ([MS-OXMSG] 2.1.2). */
    if (SUCCEEDED(hr) && !(mask = msg_add_prop(&out->message, PR_STORE_SUPPORT_MASK, 1))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        unsigned char bits[8] = {0};
        LONG unicode = STORE_UNICODE_OK;
        memcpy(bits, &unicode, sizeof(unicode));
        if (msg_set_value(&mask->values[0], bits, 8) != MSG_OK) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return hr;
}

/* ==== into a message ==== */

struct importer {
    const struct msg_allocator *memory;
    const struct msg_file *file;
    IMAPIProp *names_target; /* the store's one mapping, asked through the top message */
    ULONG *store_ids;        /* the store's id of each file name, 0 until asked */
    char *why;
    size_t why_size;
};

static HRESULT refuse(struct importer *im, HRESULT hr, const char *what, ULONG number)
{
    snprintf(im->why, im->why_size, what, (unsigned long)number);
    return hr;
}

/* The store's tag for a file tag: named ids mapped through GetIDsFromNames(MAPI_CREATE). */
static HRESULT store_tag(struct importer *im, ULONG tag, ULONG *out)
{
    ULONG id = PROP_ID(tag), index = id - 0x8000;
    const struct msg_name *name;
    if (id < 0x8000) {
        *out = tag;
        return S_OK;
    }
    if (!(name = msg_name_of(im->file, id))) return refuse(im, MAPI_E_CORRUPT_DATA, "property 0x%04lX has no name", id);
    if (!im->store_ids[index]) {
        MAPINAMEID asked, *one = &asked;
        LPSPropTagArray tags = NULL;
        WCHAR *text = NULL;
        HRESULT hr;
        asked.lpguid = (LPGUID)&name->guid;
        asked.ulKind = name->is_string ? MNID_STRING : MNID_ID;
        if (name->is_string) {
            if (!(text = calloc(name->name_size / 2 + 1, sizeof(WCHAR)))) return MAPI_E_NOT_ENOUGH_MEMORY;
            memcpy(text, name->name, name->name_size);
            asked.Kind.lpwstrName = text;
        } else {
            asked.Kind.lID = (LONG)name->id;
        }
        hr = im->names_target->lpVtbl->GetIDsFromNames(im->names_target, 1, &one, MAPI_CREATE, &tags);
        if (hr == S_OK && PROP_TYPE(tags->aulPropTag[0]) != PT_ERROR) im->store_ids[index] = PROP_ID(tags->aulPropTag[0]);
        else if (SUCCEEDED(hr)) hr = MAPI_E_NOT_ENOUGH_MEMORY; /* the store has no more named ids */
        im->memory->free(tags);
        free(text);
        if (FAILED(hr)) return refuse(im, hr, "named property 0x%04lX could not be mapped", id);
    }
    *out = PROP_TAG(PROP_TYPE(tag), im->store_ids[index]);
    return S_OK;
}

/* A PT_UNICODE string (NUL-terminated, allocated more on parent) from an ANSI value or a UTF-16LE one. */
static HRESULT wide_string(struct importer *im, const struct msg_value *v, BOOL ansi, UINT cp, void *parent,
                           WCHAR **out)
{
    int length = ansi ? (v->size ? MultiByteToWideChar(cp, 0, (const char *)v->bytes, (int)v->size, NULL, 0) : 0)
                      : (int)(v->size / 2);
    if (ansi && v->size && !length) return refuse(im, MAPI_E_UNKNOWN_CPID, "strings in code page %lu, unknown here", cp);
    if (FAILED(im->memory->allocate_more((ULONG)(length + 1) * sizeof(WCHAR), parent, (void **)out)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (ansi && length) MultiByteToWideChar(cp, 0, (const char *)v->bytes, (int)v->size, *out, length);
    else if (length) memcpy(*out, v->bytes, (size_t)length * sizeof(WCHAR));
    (*out)[length] = 0;
    return S_OK;
}

/* One model value into p[index] (a copy allocated more on parent); strings become PT_UNICODE. */
static HRESULT fill_element(struct importer *im, SPropValue *p, ULONG i, const struct msg_value *v, UINT cp,
                            void *parent)
{
    ULONG type = PROP_TYPE(p->ulPropTag) & ~MV_FLAG, fixed = msg_fixed_size(type);
    BOOL multiple = (PROP_TYPE(p->ulPropTag) & MV_FLAG) != 0;
    void *copy = NULL;
    if (type == PT_UNICODE) /* the tag already says PT_UNICODE; the file's type is in the caller's ansi */
        return wide_string(im, v, FALSE, cp, parent, multiple ? &p->Value.MVszW.lppszW[i] : &p->Value.lpszW);
    if (fixed && type != PT_CLSID) {
        void *at = multiple ? (char *)p->Value.MVi.lpi + (size_t)i * fixed : (void *)&p->Value;
        memcpy(at, v->bytes, v->size < fixed ? v->size : fixed);
        if (type == PT_BOOLEAN) *(unsigned short *)at = *(unsigned short *)at ? TRUE : FALSE;
        return S_OK;
    }
    if (type == PT_CLSID && multiple) { /* into the array to_prop_value allocated */
        memcpy((GUID *)p->Value.MVguid.lpguid + i, v->bytes, sizeof(GUID));
        return S_OK;
    }
    if (v->size && FAILED(im->memory->allocate_more(v->size, parent, &copy))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (v->size) memcpy(copy, v->bytes, v->size);
    if (type == PT_CLSID) {
        p->Value.lpguid = copy;
    } else if (multiple) {
        p->Value.MVbin.lpbin[i].cb = v->size, p->Value.MVbin.lpbin[i].lpb = copy;
    } else {
        p->Value.bin.cb = v->size, p->Value.bin.lpb = copy;
    }
    return S_OK;
}

/* A model property as an SPropValue (strings PT_UNICODE, named id the store's); values allocated more on parent. */
static HRESULT to_prop_value(struct importer *im, const struct msg_prop *prop, UINT cp, void *parent, SPropValue *p)
{
    ULONG type = PROP_TYPE(prop->tag), base = type & ~MV_FLAG, element, i;
    BOOL ansi = base == PT_STRING8;
    HRESULT hr;
    memset(p, 0, sizeof(*p));
    if (ansi) type = (type & MV_FLAG) | PT_UNICODE;
    if (FAILED(hr = store_tag(im, PROP_TAG(type, PROP_ID(prop->tag)), &p->ulPropTag))) return hr;
    if (type & MV_FLAG) {
        element = base == PT_BINARY ? sizeof(SBinary) : ansi || base == PT_UNICODE ? sizeof(WCHAR *) : msg_fixed_size(base);
        p->Value.MVl.cValues = prop->count;
        if (FAILED(im->memory->allocate_more(element * (prop->count ? prop->count : 1), parent,
                                             (void **)&p->Value.MVl.lpl)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < prop->count; i++) {
        if (ansi) {
            WCHAR **at = (type & MV_FLAG) ? &p->Value.MVszW.lppszW[i] : &p->Value.lpszW;
            hr = wide_string(im, &prop->values[i], TRUE, cp, parent, at);
        } else {
            hr = fill_element(im, p, i, &prop->values[i], cp, parent);
        }
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

/* The bytes of a single string or binary value, to decide whether it goes through a stream. */
static ULONG value_bytes(const SPropValue *p)
{
    switch (PROP_TYPE(p->ulPropTag)) {
    case PT_UNICODE: return (ULONG)wcslen(p->Value.lpszW) * sizeof(WCHAR);
    case PT_BINARY: return p->Value.bin.cb;
    default: return 0;
    }
}

static HRESULT write_streamed(IMAPIProp *target, const SPropValue *p)
{
    const unsigned char *bytes = PROP_TYPE(p->ulPropTag) == PT_BINARY ? p->Value.bin.lpb : (const unsigned char *)p->Value.lpszW;
    ULONG size = value_bytes(p), done = 0, part;
    IStream *stream = NULL;
    HRESULT hr = target->lpVtbl->OpenProperty(target, p->ulPropTag, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                              (LPUNKNOWN *)&stream);
    for (; SUCCEEDED(hr) && done < size; done += part) {
        part = size - done < 65536 ? size - done : 65536;
        hr = stream->lpVtbl->Write(stream, bytes + done, part, NULL);
    }
    if (SUCCEEDED(hr)) hr = stream->lpVtbl->Commit(stream, 0);
    if (stream) stream->lpVtbl->Release(stream);
    return hr;
}

/*
 * The object's properties as SPropValues allocated on one block (*out, to be freed with memory->free),
 * leaving out skip (a tag the caller sets otherwise, or 0).
 */
static HRESULT prop_values(struct importer *im, const struct msg_object *object, ULONG skip, UINT cp,
                           LPSPropValue *out, ULONG *count)
{
    ULONG i, n = 0;
    HRESULT hr;
    *count = 0;
    if (FAILED(im->memory->allocate(sizeof(SPropValue) * (object->prop_count + 1), (void **)out)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < object->prop_count; i++) {
        if (object->props[i].tag == skip) continue;
        if (FAILED(hr = to_prop_value(im, &object->props[i], cp, *out, &(*out)[n]))) return hr;
        n++;
    }
    *count = n;
    return S_OK;
}

/* Sets object's properties on target: big ones through streams; the store's computed ones left to it. */
static HRESULT import_props(struct importer *im, IMAPIProp *target, const struct msg_object *object, UINT cp)
{
    LPSPropValue values = NULL;
    LPSPropProblemArray problems = NULL;
    ULONG count = 0, i, small = 0;
    HRESULT hr = prop_values(im, object, 0, cp, &values, &count);
    /* Small values first, in one SetProps; the big ones after it, each through its stream. */
    for (i = 0; SUCCEEDED(hr) && i < count; i++)
        if (value_bytes(&values[i]) <= STREAMED_VALUE) {
            SPropValue kept = values[small];
            values[small++] = values[i];
            values[i] = kept;
        }
    if (SUCCEEDED(hr) && small) hr = target->lpVtbl->SetProps(target, small, values, &problems);
    for (i = 0; SUCCEEDED(hr) && problems && i < problems->cProblem; i++)
        if (problems->aProblem[i].scode != MAPI_E_COMPUTED)
            hr = refuse(im, problems->aProblem[i].scode, "the store refused property 0x%08lX",
                        problems->aProblem[i].ulPropTag);
    for (i = small; SUCCEEDED(hr) && i < count; i++)
        if (FAILED(hr = write_streamed(target, &values[i])))
            refuse(im, hr, "property 0x%08lX could not be streamed", values[i].ulPropTag);
    if (FAILED(hr) && !im->why[0]) refuse(im, hr, "setting the properties failed (0x%08lX)", (ULONG)hr);
    im->memory->free(problems);
    im->memory->free(values);
    return FAILED(hr) ? hr : S_OK;
}

/* Every recipient in one ModifyRecipients(MODRECIP_ADD); PR_ROWID is the store's to give. */
static HRESULT import_recipients(struct importer *im, IMessage *target, const struct msg_object *message, UINT cp)
{
    LPADRLIST list = NULL;
    ULONG i;
    HRESULT hr;
    if (!message->recipient_count) return S_OK;
    if (FAILED(im->memory->allocate(CbNewADRLIST(message->recipient_count), (void **)&list)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(list, 0, CbNewADRLIST(message->recipient_count));
    for (i = 0, hr = S_OK; SUCCEEDED(hr) && i < message->recipient_count; i++) {
        hr = prop_values(im, &message->recipients[i], PR_ROWID, cp, &list->aEntries[i].rgPropVals,
                         &list->aEntries[i].cValues);
        list->cEntries = i + 1;
    }
    if (SUCCEEDED(hr) && FAILED(hr = target->lpVtbl->ModifyRecipients(target, MODRECIP_ADD, list)))
        refuse(im, hr, "the store refused the recipients (0x%08lX)", (ULONG)hr);
    for (i = 0; i < list->cEntries; i++) im->memory->free(list->aEntries[i].rgPropVals);
    im->memory->free(list);
    return hr;
}

static HRESULT import_message(struct importer *im, IMessage *target, const struct msg_object *message, int depth);

static HRESULT import_attachments(struct importer *im, IMessage *target, const struct msg_object *message,
                                  UINT cp, int depth)
{
    ULONG i, num;
    HRESULT hr = S_OK;
    for (i = 0; SUCCEEDED(hr) && i < message->attachment_count; i++) {
        const struct msg_object *attachment = &message->attachments[i];
        IAttach *attach = NULL;
        IMessage *inner = NULL;
        hr = target->lpVtbl->CreateAttach(target, NULL, 0, &num, &attach);
        if (SUCCEEDED(hr)) hr = import_props(im, (IMAPIProp *)attach, attachment, cp);
        if (SUCCEEDED(hr) && attachment->embedded) {
            hr = attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                              (LPUNKNOWN *)&inner);
            if (SUCCEEDED(hr)) hr = import_message(im, inner, attachment->embedded, depth + 1);
            if (SUCCEEDED(hr)) hr = inner->lpVtbl->SaveChanges(inner, 0);
            if (inner) inner->lpVtbl->Release(inner);
        }
        if (SUCCEEDED(hr)) hr = attach->lpVtbl->SaveChanges(attach, 0);
        if (FAILED(hr) && !im->why[0]) refuse(im, hr, "attachment %lu could not be saved", i);
        if (attach) attach->lpVtbl->Release(attach);
    }
    return hr;
}

static HRESULT import_message(struct importer *im, IMessage *target, const struct msg_object *message, int depth)
{
    UINT cp = code_page(message);
    HRESULT hr;
    if (depth > MSG_MOST_DEPTH) return refuse(im, MAPI_E_TOO_COMPLEX, "embedded messages nested deeper than %lu", MSG_MOST_DEPTH);
    hr = import_props(im, (IMAPIProp *)target, message, cp);
    if (SUCCEEDED(hr)) hr = import_recipients(im, target, message, cp);
    if (SUCCEEDED(hr)) hr = import_attachments(im, target, message, cp, depth);
    return hr;
}

HRESULT msg_to_message(const struct msg_file *file, IMessage *message, const struct msg_allocator *memory,
                       char *why, size_t why_size)
{
    struct importer im = {memory, file, (IMAPIProp *)message, NULL, why, why_size};
    HRESULT hr;
    why[0] = 0;
    if (file->name_count && !(im.store_ids = calloc(file->name_count, sizeof(ULONG)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = import_message(&im, message, &file->message, 0);
    free(im.store_ids);
    return hr;
}
