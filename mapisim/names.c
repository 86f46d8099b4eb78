/* Names for what mapisim reports: HRESULTs, support methods, flag sets. */
#include "mapisim.h"

#include <stdio.h>
#include <string.h>

static const char *const method_names[MAPISIM_METHOD_COUNT] = {
    "GetLastError", "GetMemAllocRoutines", "Subscribe", "Unsubscribe", "Notify", "ModifyStatusRow",
    "OpenProfileSection", "RegisterPreprocessor", "NewUID", "MakeInvalid", "SpoolerYield", "SpoolerNotify",
    "CreateOneOff", "SetProviderUID", "CompareEntryIDs", "OpenTemplateID", "OpenEntry", "GetOneOffTable",
    "Address", "Details", "NewEntry", "DoConfigPropsheet", "CopyMessages", "CopyFolder", "DoCopyTo",
    "DoCopyProps", "DoProgressDialog", "ReadReceipt", "PrepareSubmit", "ExpandRecips", "UpdatePAB",
    "DoSentMail", "OpenAddressBook", "Preprocess", "CompleteMsg", "StoreLogoffTransports", "StatusRecips",
    "WrapStoreEntryID", "ModifyProfile", "IStorageFromStream", "GetSvcConfigSupportObj",
};

const char *mapisim_method_name(enum mapisim_method method)
{
    return (unsigned)method < MAPISIM_METHOD_COUNT ? method_names[method] : "?";
}

const char *mapisim_hresult_name(HRESULT hr)
{
    static const struct {
        HRESULT code;
        const char *name;
    } names[] = {
        {S_OK, "S_OK"},
        {S_FALSE, "S_FALSE"},
        {MAPI_W_ERRORS_RETURNED, "MAPI_W_ERRORS_RETURNED"},
        {MAPI_W_POSITION_CHANGED, "MAPI_W_POSITION_CHANGED"},
        {MAPI_E_CALL_FAILED, "MAPI_E_CALL_FAILED"},
        {MAPI_E_NOT_ENOUGH_MEMORY, "MAPI_E_NOT_ENOUGH_MEMORY"},
        {MAPI_E_INVALID_PARAMETER, "MAPI_E_INVALID_PARAMETER"},
        {MAPI_E_INTERFACE_NOT_SUPPORTED, "MAPI_E_INTERFACE_NOT_SUPPORTED"},
        {MAPI_E_NO_ACCESS, "MAPI_E_NO_ACCESS"},
        {MAPI_E_NO_SUPPORT, "MAPI_E_NO_SUPPORT"},
        {MAPI_E_UNKNOWN_FLAGS, "MAPI_E_UNKNOWN_FLAGS"},
        {MAPI_E_INVALID_ENTRYID, "MAPI_E_INVALID_ENTRYID"},
        {MAPI_E_INVALID_OBJECT, "MAPI_E_INVALID_OBJECT"},
        {MAPI_E_NOT_FOUND, "MAPI_E_NOT_FOUND"},
        {MAPI_E_VERSION, "MAPI_E_VERSION"},
        {MAPI_E_LOGON_FAILED, "MAPI_E_LOGON_FAILED"},
        {MAPI_E_UNCONFIGURED, "MAPI_E_UNCONFIGURED"},
        {MAPI_E_FAILONEPROVIDER, "MAPI_E_FAILONEPROVIDER"},
        {MAPI_E_TOO_COMPLEX, "MAPI_E_TOO_COMPLEX"},
        {MAPI_E_INVALID_BOOKMARK, "MAPI_E_INVALID_BOOKMARK"},
        {MAPI_E_BUSY, "MAPI_E_BUSY"},
        {MAPI_E_DISK_ERROR, "MAPI_E_DISK_ERROR"},
        {MAPI_E_NOT_ENOUGH_DISK, "MAPI_E_NOT_ENOUGH_DISK"},
        {MAPI_E_CORRUPT_STORE, "MAPI_E_CORRUPT_STORE"},
        {MAPI_E_COLLISION, "MAPI_E_COLLISION"},
        {MAPI_E_OBJECT_DELETED, "MAPI_E_OBJECT_DELETED"},
        {MAPI_E_HAS_FOLDERS, "MAPI_E_HAS_FOLDERS"},
        {MAPI_E_HAS_MESSAGES, "MAPI_E_HAS_MESSAGES"},
        {MAPI_E_FOLDER_CYCLE, "MAPI_E_FOLDER_CYCLE"},
        {MAPI_E_COMPUTED, "MAPI_E_COMPUTED"},
        {MAPI_W_PARTIAL_COMPLETION, "MAPI_W_PARTIAL_COMPLETION"},
    };
    static char unknown[4][16];
    static LONG next;
    size_t i;
    char *slot;
    for (i = 0; i < ARRAYSIZE(names); i++)
        if (names[i].code == hr) return names[i].name;
    slot = unknown[InterlockedIncrement(&next) & 3];
    snprintf(slot, sizeof(unknown[0]), "0x%08lx", (unsigned long)hr);
    return slot;
}

char *mapisim_format_flags(char *out, size_t size, ULONG flags, const struct mapisim_flag_name *names)
{
    size_t used = 0;
    out[0] = 0;
    for (; names->name; names++) {
        if ((flags & names->flag) != names->flag || !names->flag) continue;
        used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%s%s", used ? " | " : "", names->name);
        flags &= ~names->flag;
    }
    if (flags || !used) snprintf(out + used, used < size ? size - used : 0, "%s0x%lx", used ? " | " : "", (unsigned long)flags);
    return out;
}

const struct mapisim_flag_name mapisim_logoff_flags[] = {
    {LOGOFF_NO_WAIT, "LOGOFF_NO_WAIT"},   {LOGOFF_ORDERLY, "LOGOFF_ORDERLY"},
    {LOGOFF_PURGE, "LOGOFF_PURGE"},       {LOGOFF_ABORT, "LOGOFF_ABORT"},
    {LOGOFF_QUIET, "LOGOFF_QUIET"},       {LOGOFF_COMPLETE, "LOGOFF_COMPLETE"},
    {LOGOFF_INBOUND, "LOGOFF_INBOUND"},   {LOGOFF_OUTBOUND, "LOGOFF_OUTBOUND"},
    {LOGOFF_OUTBOUND_QUEUE, "LOGOFF_OUTBOUND_QUEUE"}, {0, NULL},
};
