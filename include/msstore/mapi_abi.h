/*
 * MAPI declarations as Microsoft's headers have them, where MinGW-w64's differ
 * or are missing (contract §14, decision D9).
 *
 * On x64, Microsoft's MAPIDefS.h / MAPISPI.H declare Advise connection numbers,
 * BOOKMARK and every ulUIParam as ULONG_PTR (8 bytes); MinGW-w64 declares them
 * ULONG (4 bytes). A provider built against MinGW's vtables would write 4 bytes
 * into MAPI's 8-byte connection slot and, worse, let MAPI's Subscribe write 8
 * bytes into its own 4-byte variable. So every interface msstore implements or
 * calls through a width-sensitive slot is re-declared here as "<Iface>AbiVtbl",
 * slot for slot, with Microsoft's widths. Objects are still handed out as the
 * MinGW interface types (IMsgStore *, ...): only the vtable layout is ours.
 *
 * On x86 ULONG and ULONG_PTR have the same size, so both layouts coincide.
 */
#ifndef MSSTORE_MAPI_ABI_H
#define MSSTORE_MAPI_ABI_H

#include <msstore/mapi_types.h>
#include <mapispi.h>
#include <mapiguid.h>

/* {00020398-0000-0000-C000-000000000046}; defined in src/mapi/guids.c. */
extern const IID IID_IMAPIProviderShutdown;

/* Microsoft: typedef ULONG_PTR BOOKMARK. */
typedef ULONG_PTR BOOKMARK_ABI;

/* Microsoft's DISMISSMODELESS and LPFNBUTTON take a ULONG_PTR ulUIParam (MinGW-w64: ULONG). */
typedef void(WINAPI DISMISSMODELESS_ABI)(ULONG_PTR ulUIParam, LPVOID lpvContext);
typedef DISMISSMODELESS_ABI *LPFNDISMISS_ABI;
typedef SCODE(WINAPI *LPFNBUTTON_ABI)(ULONG_PTR ulUIParam, LPVOID lpvContext, ULONG cbEntryID,
                                      LPENTRYID lpSelection, ULONG ulFlags);

/* ---- method groups, in vtable order ---- */

#define ABI_IUNKNOWN_METHODS(T)                                                \
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(T * This, REFIID riid,         \
                                               void **ppvObj);                  \
    ULONG(STDMETHODCALLTYPE *AddRef)(T * This);                                \
    ULONG(STDMETHODCALLTYPE *Release)(T * This);

#define ABI_IMAPIPROP_METHODS(T)                                               \
    HRESULT(STDMETHODCALLTYPE *GetLastError)(T * This, HRESULT hResult,       \
                                             ULONG ulFlags,                     \
                                             LPMAPIERROR *lppMAPIError);        \
    HRESULT(STDMETHODCALLTYPE *SaveChanges)(T * This, ULONG ulFlags);         \
    HRESULT(STDMETHODCALLTYPE *GetProps)(T * This,                            \
                                         LPSPropTagArray lpPropTagArray,        \
                                         ULONG ulFlags, ULONG *lpcValues,       \
                                         LPSPropValue *lppPropArray);           \
    HRESULT(STDMETHODCALLTYPE *GetPropList)(T * This, ULONG ulFlags,          \
                                            LPSPropTagArray *lppPropTagArray);  \
    HRESULT(STDMETHODCALLTYPE *OpenProperty)(T * This, ULONG ulPropTag,       \
                                             LPCIID lpiid,                      \
                                             ULONG ulInterfaceOptions,          \
                                             ULONG ulFlags, LPUNKNOWN *lppUnk); \
    HRESULT(STDMETHODCALLTYPE *SetProps)(T * This, ULONG cValues,             \
                                         LPSPropValue lpPropArray,              \
                                         LPSPropProblemArray *lppProblems);     \
    HRESULT(STDMETHODCALLTYPE *DeleteProps)(T * This,                         \
                                            LPSPropTagArray lpPropTagArray,     \
                                            LPSPropProblemArray *lppProblems);  \
    HRESULT(STDMETHODCALLTYPE *CopyTo)(                                        \
        T * This, ULONG ciidExclude, LPCIID rgiidExclude,                      \
        LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,                   \
        LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,       \
        ULONG ulFlags, LPSPropProblemArray *lppProblems);                      \
    HRESULT(STDMETHODCALLTYPE *CopyProps)(                                     \
        T * This, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,         \
        LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,       \
        ULONG ulFlags, LPSPropProblemArray *lppProblems);                      \
    HRESULT(STDMETHODCALLTYPE *GetNamesFromIDs)(                               \
        T * This, LPSPropTagArray * lppPropTags, LPGUID lpPropSetGuid,         \
        ULONG ulFlags, ULONG * lpcPropNames, LPMAPINAMEID * *lpppPropNames);   \
    HRESULT(STDMETHODCALLTYPE *GetIDsFromNames)(                               \
        T * This, ULONG cPropNames, LPMAPINAMEID * lppPropNames,               \
        ULONG ulFlags, LPSPropTagArray * lppPropTags);

#define ABI_IMAPICONTAINER_METHODS(T)                                          \
    HRESULT(STDMETHODCALLTYPE *GetContentsTable)(T * This, ULONG ulFlags,     \
                                                 LPMAPITABLE *lppTable);        \
    HRESULT(STDMETHODCALLTYPE *GetHierarchyTable)(T * This, ULONG ulFlags,    \
                                                  LPMAPITABLE *lppTable);       \
    HRESULT(STDMETHODCALLTYPE *OpenEntry)(                                     \
        T * This, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,    \
        ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk);               \
    HRESULT(STDMETHODCALLTYPE *SetSearchCriteria)(                             \
        T * This, LPSRestriction lpRestriction, LPENTRYLIST lpContainerList,   \
        ULONG ulSearchFlags);                                                  \
    HRESULT(STDMETHODCALLTYPE *GetSearchCriteria)(                             \
        T * This, ULONG ulFlags, LPSRestriction * lppRestriction,              \
        LPENTRYLIST * lppContainerList, ULONG * lpulSearchState);

/* ---- IMAPIProp (and IProfSect, which adds nothing to it) ---- */

typedef struct IMAPIPropAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMAPIProp)
    ABI_IMAPIPROP_METHODS(IMAPIProp)
} IMAPIPropAbiVtbl;

/* ---- IMAPIStatus: every ulUIParam is ULONG_PTR ---- */

typedef struct IMAPIStatusAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMAPIStatus)
    ABI_IMAPIPROP_METHODS(IMAPIStatus)
    HRESULT(STDMETHODCALLTYPE *ValidateState)(IMAPIStatus *This, ULONG_PTR ulUIParam, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *SettingsDialog)(IMAPIStatus *This, ULONG_PTR ulUIParam, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *ChangePassword)(IMAPIStatus *This, LPTSTR lpOldPass, LPTSTR lpNewPass,
                                               ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *FlushQueues)(IMAPIStatus *This, ULONG_PTR ulUIParam,
                                            ULONG cbTargetTransport, LPENTRYID lpTargetTransport,
                                            ULONG ulFlags);
} IMAPIStatusAbiVtbl;

/* ---- IProviderAdmin: CreateProvider's ulUIParam is ULONG_PTR ---- */

typedef struct IProviderAdminAbiVtbl {
    ABI_IUNKNOWN_METHODS(IProviderAdmin)
    HRESULT(STDMETHODCALLTYPE *GetLastError)(IProviderAdmin *This, HRESULT hResult, ULONG ulFlags,
                                             LPMAPIERROR *lppMAPIError);
    HRESULT(STDMETHODCALLTYPE *GetProviderTable)(IProviderAdmin *This, ULONG ulFlags,
                                                 LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *CreateProvider)(IProviderAdmin *This, LPTSTR lpszProvider,
                                               ULONG cValues, LPSPropValue lpProps,
                                               ULONG_PTR ulUIParam, ULONG ulFlags, MAPIUID *lpUID);
    HRESULT(STDMETHODCALLTYPE *DeleteProvider)(IProviderAdmin *This, LPMAPIUID lpUID);
    HRESULT(STDMETHODCALLTYPE *OpenProfileSection)(IProviderAdmin *This, LPMAPIUID lpUID,
                                                   LPCIID lpInterface, ULONG ulFlags,
                                                   LPPROFSECT *lppProfSect);
} IProviderAdminAbiVtbl;

/* The message-service entry point (contract §11.4), ulUIParam at Microsoft's width. */
typedef HRESULT(STDAPICALLTYPE MSGSERVICEENTRY_ABI)(HINSTANCE hInstance, LPMALLOC lpMalloc,
                                                   LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,
                                                   ULONG ulFlags, ULONG ulContext, ULONG cValues,
                                                   LPSPropValue lpProps,
                                                   LPPROVIDERADMIN lpProviderAdmin,
                                                   LPMAPIERROR *lppMapiError);

/* ---- IMSProvider ---- */

typedef struct IMSProviderAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMSProvider)
    HRESULT(STDMETHODCALLTYPE *Shutdown)(IMSProvider *This, ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *Logon)(
        IMSProvider *This, LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,
        LPTSTR lpszProfileName, ULONG cbEntryID, LPENTRYID lpEntryID,
        ULONG ulFlags, LPCIID lpInterface, ULONG *lpcbSpoolSecurity,
        LPBYTE *lppbSpoolSecurity, LPMAPIERROR *lppMAPIError,
        LPMSLOGON *lppMSLogon, LPMDB *lppMDB);
    HRESULT(STDMETHODCALLTYPE *SpoolerLogon)(
        IMSProvider *This, LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,
        LPTSTR lpszProfileName, ULONG cbEntryID, LPENTRYID lpEntryID,
        ULONG ulFlags, LPCIID lpInterface, ULONG cbSpoolSecurity,
        LPBYTE lpbSpoolSecurity, LPMAPIERROR *lppMAPIError,
        LPMSLOGON *lppMSLogon, LPMDB *lppMDB);
    HRESULT(STDMETHODCALLTYPE *CompareStoreIDs)(
        IMSProvider *This, ULONG cbEntryID1, LPENTRYID lpEntryID1,
        ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
        ULONG *lpulResult);
} IMSProviderAbiVtbl;

/* ---- IMAPIProviderShutdown (absent from MinGW-w64) ---- */

typedef struct IMAPIProviderShutdown {
    const struct IMAPIProviderShutdownVtbl *lpVtbl;
} IMAPIProviderShutdown;

typedef struct IMAPIProviderShutdownVtbl {
    ABI_IUNKNOWN_METHODS(IMAPIProviderShutdown)
    HRESULT(STDMETHODCALLTYPE *QueryFastShutdown)(IMAPIProviderShutdown *This);
    HRESULT(STDMETHODCALLTYPE *NotifyProcessShutdown)(
        IMAPIProviderShutdown *This);
    HRESULT(STDMETHODCALLTYPE *DoFastShutdown)(IMAPIProviderShutdown *This);
} IMAPIProviderShutdownVtbl;

/* ---- IMSLogon: Advise writes a ULONG_PTR, Unadvise takes one ---- */

typedef struct IMSLogonAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMSLogon)
    HRESULT(STDMETHODCALLTYPE *GetLastError)(IMSLogon *This, HRESULT hResult,
                                             ULONG ulFlags,
                                             LPMAPIERROR *lppMAPIError);
    HRESULT(STDMETHODCALLTYPE *Logoff)(IMSLogon *This, ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *OpenEntry)(IMSLogon *This, ULONG cbEntryID,
                                          LPENTRYID lpEntryID,
                                          LPCIID lpInterface, ULONG ulFlags,
                                          ULONG *lpulObjType,
                                          LPUNKNOWN *lppUnk);
    HRESULT(STDMETHODCALLTYPE *CompareEntryIDs)(
        IMSLogon *This, ULONG cbEntryID1, LPENTRYID lpEntryID1,
        ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
        ULONG *lpulResult);
    HRESULT(STDMETHODCALLTYPE *Advise)(IMSLogon *This, ULONG cbEntryID,
                                       LPENTRYID lpEntryID, ULONG ulEventMask,
                                       LPMAPIADVISESINK lpAdviseSink,
                                       ULONG_PTR *lpulConnection);
    HRESULT(STDMETHODCALLTYPE *Unadvise)(IMSLogon *This,
                                         ULONG_PTR ulConnection);
    HRESULT(STDMETHODCALLTYPE *OpenStatusEntry)(IMSLogon *This,
                                                LPCIID lpInterface,
                                                ULONG ulFlags,
                                                ULONG *lpulObjType,
                                                LPVOID *lppEntry);
} IMSLogonAbiVtbl;

/* ---- IMsgStore ---- */

typedef struct IMsgStoreAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMsgStore)
    ABI_IMAPIPROP_METHODS(IMsgStore)
    HRESULT(STDMETHODCALLTYPE *Advise)(IMsgStore *This, ULONG cbEntryID,
                                       LPENTRYID lpEntryID, ULONG ulEventMask,
                                       LPMAPIADVISESINK lpAdviseSink,
                                       ULONG_PTR *lpulConnection);
    HRESULT(STDMETHODCALLTYPE *Unadvise)(IMsgStore *This,
                                         ULONG_PTR ulConnection);
    HRESULT(STDMETHODCALLTYPE *CompareEntryIDs)(
        IMsgStore *This, ULONG cbEntryID1, LPENTRYID lpEntryID1,
        ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
        ULONG *lpulResult);
    HRESULT(STDMETHODCALLTYPE *OpenEntry)(IMsgStore *This, ULONG cbEntryID,
                                          LPENTRYID lpEntryID,
                                          LPCIID lpInterface, ULONG ulFlags,
                                          ULONG *lpulObjType,
                                          LPUNKNOWN *lppUnk);
    HRESULT(STDMETHODCALLTYPE *SetReceiveFolder)(IMsgStore *This,
                                                 LPTSTR lpszMessageClass,
                                                 ULONG ulFlags,
                                                 ULONG cbEntryID,
                                                 LPENTRYID lpEntryID);
    HRESULT(STDMETHODCALLTYPE *GetReceiveFolder)(
        IMsgStore *This, LPTSTR lpszMessageClass, ULONG ulFlags,
        ULONG *lpcbEntryID, LPENTRYID *lppEntryID,
        LPTSTR *lppszExplicitClass);
    HRESULT(STDMETHODCALLTYPE *GetReceiveFolderTable)(IMsgStore *This,
                                                      ULONG ulFlags,
                                                      LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *StoreLogoff)(IMsgStore *This, ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *AbortSubmit)(IMsgStore *This, ULONG cbEntryID,
                                            LPENTRYID lpEntryID, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *GetOutgoingQueue)(IMsgStore *This,
                                                 ULONG ulFlags,
                                                 LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *SetLockState)(IMsgStore *This,
                                             LPMESSAGE lpMessage,
                                             ULONG ulLockState);
    HRESULT(STDMETHODCALLTYPE *FinishedMsg)(IMsgStore *This, ULONG ulFlags,
                                            ULONG cbEntryID,
                                            LPENTRYID lpEntryID);
    HRESULT(STDMETHODCALLTYPE *NotifyNewMail)(IMsgStore *This,
                                              LPNOTIFICATION lpNotification);
} IMsgStoreAbiVtbl;

/* ---- IMAPIFolder: every ulUIParam is ULONG_PTR ---- */

typedef struct IMAPIFolderAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMAPIFolder)
    ABI_IMAPIPROP_METHODS(IMAPIFolder)
    ABI_IMAPICONTAINER_METHODS(IMAPIFolder)
    HRESULT(STDMETHODCALLTYPE *CreateMessage)(IMAPIFolder *This,
                                              LPCIID lpInterface,
                                              ULONG ulFlags,
                                              LPMESSAGE *lppMessage);
    HRESULT(STDMETHODCALLTYPE *CopyMessages)(
        IMAPIFolder *This, LPENTRYLIST lpMsgList, LPCIID lpInterface,
        LPVOID lpDestFolder, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
        ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *DeleteMessages)(IMAPIFolder *This,
                                               LPENTRYLIST lpMsgList,
                                               ULONG_PTR ulUIParam,
                                               LPMAPIPROGRESS lpProgress,
                                               ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *CreateFolder)(
        IMAPIFolder *This, ULONG ulFolderType, LPTSTR lpszFolderName,
        LPTSTR lpszFolderComment, LPCIID lpInterface, ULONG ulFlags,
        LPMAPIFOLDER *lppFolder);
    HRESULT(STDMETHODCALLTYPE *CopyFolder)(
        IMAPIFolder *This, ULONG cbEntryID, LPENTRYID lpEntryID,
        LPCIID lpInterface, LPVOID lpDestFolder, LPTSTR lpszNewFolderName,
        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *DeleteFolder)(IMAPIFolder *This,
                                             ULONG cbEntryID,
                                             LPENTRYID lpEntryID,
                                             ULONG_PTR ulUIParam,
                                             LPMAPIPROGRESS lpProgress,
                                             ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *SetReadFlags)(IMAPIFolder *This,
                                             LPENTRYLIST lpMsgList,
                                             ULONG_PTR ulUIParam,
                                             LPMAPIPROGRESS lpProgress,
                                             ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *GetMessageStatus)(IMAPIFolder *This,
                                                 ULONG cbEntryID,
                                                 LPENTRYID lpEntryID,
                                                 ULONG ulFlags,
                                                 ULONG *lpulMessageStatus);
    HRESULT(STDMETHODCALLTYPE *SetMessageStatus)(
        IMAPIFolder *This, ULONG cbEntryID, LPENTRYID lpEntryID,
        ULONG ulNewStatus, ULONG ulNewStatusMask, ULONG *lpulOldStatus);
    HRESULT(STDMETHODCALLTYPE *SaveContentsSort)(IMAPIFolder *This,
                                                 LPSSortOrderSet lpSortCriteria,
                                                 ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *EmptyFolder)(IMAPIFolder *This,
                                            ULONG_PTR ulUIParam,
                                            LPMAPIPROGRESS lpProgress,
                                            ULONG ulFlags);
} IMAPIFolderAbiVtbl;

/* ---- IMessage: DeleteAttach's ulUIParam is ULONG_PTR (and CopyTo's, CopyProps', as in every IMAPIProp) ---- */

typedef struct IMessageAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMessage)
    ABI_IMAPIPROP_METHODS(IMessage)
    HRESULT(STDMETHODCALLTYPE *GetAttachmentTable)(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *OpenAttach)(IMessage *This, ULONG ulAttachmentNum, LPCIID lpInterface,
                                           ULONG ulFlags, LPATTACH *lppAttach);
    HRESULT(STDMETHODCALLTYPE *CreateAttach)(IMessage *This, LPCIID lpInterface, ULONG ulFlags,
                                             ULONG *lpulAttachmentNum, LPATTACH *lppAttach);
    HRESULT(STDMETHODCALLTYPE *DeleteAttach)(IMessage *This, ULONG ulAttachmentNum, ULONG_PTR ulUIParam,
                                             LPMAPIPROGRESS lpProgress, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *GetRecipientTable)(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *ModifyRecipients)(IMessage *This, ULONG ulFlags, LPADRLIST lpMods);
    HRESULT(STDMETHODCALLTYPE *SubmitMessage)(IMessage *This, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *SetReadFlag)(IMessage *This, ULONG ulFlags);
} IMessageAbiVtbl;

/* ---- IAttach: IMAPIProp's methods, nothing more ---- */

typedef struct IAttachAbiVtbl {
    ABI_IUNKNOWN_METHODS(IAttach)
    ABI_IMAPIPROP_METHODS(IAttach)
} IAttachAbiVtbl;

/* ---- IMAPISupport: Subscribe writes a ULONG_PTR; every ulUIParam widens ---- */

typedef struct IMAPISupportAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMAPISupport)
    HRESULT(STDMETHODCALLTYPE *GetLastError)(IMAPISupport *This,
                                             HRESULT hResult, ULONG ulFlags,
                                             LPMAPIERROR *lppMAPIError);
    HRESULT(STDMETHODCALLTYPE *GetMemAllocRoutines)(
        IMAPISupport *This, LPALLOCATEBUFFER *lpAllocateBuffer,
        LPALLOCATEMORE *lpAllocateMore, LPFREEBUFFER *lpFreeBuffer);
    HRESULT(STDMETHODCALLTYPE *Subscribe)(IMAPISupport *This, LPNOTIFKEY lpKey,
                                          ULONG ulEventMask, ULONG ulFlags,
                                          LPMAPIADVISESINK lpAdviseSink,
                                          ULONG_PTR *lpulConnection);
    HRESULT(STDMETHODCALLTYPE *Unsubscribe)(IMAPISupport *This,
                                            ULONG_PTR ulConnection);
    HRESULT(STDMETHODCALLTYPE *Notify)(IMAPISupport *This, LPNOTIFKEY lpKey,
                                       ULONG cNotification,
                                       LPNOTIFICATION lpNotifications,
                                       ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *ModifyStatusRow)(IMAPISupport *This,
                                                ULONG cValues,
                                                LPSPropValue lpColumnVals,
                                                ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *OpenProfileSection)(IMAPISupport *This,
                                                   LPMAPIUID lpUid,
                                                   ULONG ulFlags,
                                                   LPPROFSECT *lppProfileObj);
    HRESULT(STDMETHODCALLTYPE *RegisterPreprocessor)(
        IMAPISupport *This, LPMAPIUID lpMuid, LPTSTR lpszAdrType,
        LPTSTR lpszDLLName, LPSTR lpszPreprocess,
        LPSTR lpszRemovePreprocessInfo, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *NewUID)(IMAPISupport *This, LPMAPIUID lpMuid);
    HRESULT(STDMETHODCALLTYPE *MakeInvalid)(IMAPISupport *This, ULONG ulFlags,
                                            LPVOID lpObject, ULONG ulRefCount,
                                            ULONG cMethods);
    HRESULT(STDMETHODCALLTYPE *SpoolerYield)(IMAPISupport *This, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *SpoolerNotify)(IMAPISupport *This,
                                              ULONG ulFlags, LPVOID lpvData);
    HRESULT(STDMETHODCALLTYPE *CreateOneOff)(IMAPISupport *This,
                                             LPTSTR lpszName,
                                             LPTSTR lpszAdrType,
                                             LPTSTR lpszAddress, ULONG ulFlags,
                                             ULONG *lpcbEntryID,
                                             LPENTRYID *lppEntryID);
    HRESULT(STDMETHODCALLTYPE *SetProviderUID)(IMAPISupport *This,
                                               LPMAPIUID lpProviderID,
                                               ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *CompareEntryIDs)(
        IMAPISupport *This, ULONG cbEntry1, LPENTRYID lpEntry1,
        ULONG cbEntry2, LPENTRYID lpEntry2, ULONG ulCompareFlags,
        ULONG *lpulResult);
    HRESULT(STDMETHODCALLTYPE *OpenTemplateID)(
        IMAPISupport *This, ULONG cbTemplateID, LPENTRYID lpTemplateID,
        ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData, LPCIID lpInterface,
        LPMAPIPROP *lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling);
    HRESULT(STDMETHODCALLTYPE *OpenEntry)(IMAPISupport *This, ULONG cbEntryID,
                                          LPENTRYID lpEntryID,
                                          LPCIID lpInterface,
                                          ULONG ulOpenFlags,
                                          ULONG *lpulObjType,
                                          LPUNKNOWN *lppUnk);
    HRESULT(STDMETHODCALLTYPE *GetOneOffTable)(IMAPISupport *This,
                                               ULONG ulFlags,
                                               LPMAPITABLE *lppTable);
    HRESULT(STDMETHODCALLTYPE *Address)(IMAPISupport *This,
                                        ULONG_PTR *lpulUIParam,
                                        LPADRPARM lpAdrParms,
                                        LPADRLIST *lppAdrList);
    HRESULT(STDMETHODCALLTYPE *Details)(
        IMAPISupport *This, ULONG_PTR *lpulUIParam, LPFNDISMISS_ABI lpfnDismiss,
        LPVOID lpvDismissContext, ULONG cbEntryID, LPENTRYID lpEntryID,
        LPFNBUTTON_ABI lpfButtonCallback, LPVOID lpvButtonContext,
        LPTSTR lpszButtonText, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *NewEntry)(
        IMAPISupport *This, ULONG_PTR ulUIParam, ULONG ulFlags,
        ULONG cbEIDContainer, LPENTRYID lpEIDContainer,
        ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl,
        ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry);
    HRESULT(STDMETHODCALLTYPE *DoConfigPropsheet)(
        IMAPISupport *This, ULONG_PTR ulUIParam, ULONG ulFlags,
        LPTSTR lpszTitle, LPMAPITABLE lpDisplayTable, LPMAPIPROP lpConfigData,
        ULONG ulTopPage);
    HRESULT(STDMETHODCALLTYPE *CopyMessages)(
        IMAPISupport *This, LPCIID lpSrcInterface, LPVOID lpSrcFolder,
        LPENTRYLIST lpMsgList, LPCIID lpDestInterface, LPVOID lpDestFolder,
        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *CopyFolder)(
        IMAPISupport *This, LPCIID lpSrcInterface, LPVOID lpSrcFolder,
        ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpDestInterface,
        LPVOID lpDestFolder, LPTSTR lpszNewFolderName, ULONG_PTR ulUIParam,
        LPMAPIPROGRESS lpProgress, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *DoCopyTo)(
        IMAPISupport *This, LPCIID lpSrcInterface, LPVOID lpSrcObj,
        ULONG ciidExclude, LPCIID rgiidExclude,
        LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
        LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj,
        ULONG ulFlags, LPSPropProblemArray *lppProblems);
    HRESULT(STDMETHODCALLTYPE *DoCopyProps)(
        IMAPISupport *This, LPCIID lpSrcInterface, LPVOID lpSrcObj,
        LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
        LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj,
        ULONG ulFlags, LPSPropProblemArray *lppProblems);
    HRESULT(STDMETHODCALLTYPE *DoProgressDialog)(IMAPISupport *This,
                                                 ULONG_PTR ulUIParam,
                                                 ULONG ulFlags,
                                                 LPMAPIPROGRESS *lppProgress);
    HRESULT(STDMETHODCALLTYPE *ReadReceipt)(IMAPISupport *This, ULONG ulFlags,
                                            LPMESSAGE lpReadMessage,
                                            LPMESSAGE *lppEmptyMessage);
    HRESULT(STDMETHODCALLTYPE *PrepareSubmit)(IMAPISupport *This,
                                              LPMESSAGE lpMessage,
                                              ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *ExpandRecips)(IMAPISupport *This,
                                             LPMESSAGE lpMessage,
                                             ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *UpdatePAB)(IMAPISupport *This, ULONG ulFlags,
                                          LPMESSAGE lpMessage);
    HRESULT(STDMETHODCALLTYPE *DoSentMail)(IMAPISupport *This, ULONG ulFlags,
                                           LPMESSAGE lpMessage);
    HRESULT(STDMETHODCALLTYPE *OpenAddressBook)(IMAPISupport *This,
                                                LPCIID lpInterface,
                                                ULONG ulFlags,
                                                LPADRBOOK *lppAdrBook);
    HRESULT(STDMETHODCALLTYPE *Preprocess)(IMAPISupport *This, ULONG ulFlags,
                                           ULONG cbEntryID,
                                           LPENTRYID lpEntryID);
    HRESULT(STDMETHODCALLTYPE *CompleteMsg)(IMAPISupport *This, ULONG ulFlags,
                                            ULONG cbEntryID,
                                            LPENTRYID lpEntryID);
    HRESULT(STDMETHODCALLTYPE *StoreLogoffTransports)(IMAPISupport *This,
                                                      ULONG *lpulFlags);
    HRESULT(STDMETHODCALLTYPE *StatusRecips)(IMAPISupport *This,
                                             LPMESSAGE lpMessage,
                                             LPADRLIST lpRecipList);
    HRESULT(STDMETHODCALLTYPE *WrapStoreEntryID)(IMAPISupport *This,
                                                 ULONG cbOrigEntry,
                                                 LPENTRYID lpOrigEntry,
                                                 ULONG *lpcbWrappedEntry,
                                                 LPENTRYID *lppWrappedEntry);
    HRESULT(STDMETHODCALLTYPE *ModifyProfile)(IMAPISupport *This,
                                              ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *IStorageFromStream)(IMAPISupport *This,
                                                   LPUNKNOWN lpUnkIn,
                                                   LPCIID lpInterface,
                                                   ULONG ulFlags,
                                                   LPSTORAGE *lppStorageOut);
    HRESULT(STDMETHODCALLTYPE *GetSvcConfigSupportObj)(
        IMAPISupport *This, ULONG ulFlags, LPMAPISUP *lppSvcSupport);
} IMAPISupportAbiVtbl;

/* ---- IMAPITable: Advise/Unadvise and every BOOKMARK are ULONG_PTR ---- */

typedef struct IMAPITableAbiVtbl {
    ABI_IUNKNOWN_METHODS(IMAPITable)
    HRESULT(STDMETHODCALLTYPE *GetLastError)(IMAPITable *This, HRESULT hResult, ULONG ulFlags,
                                             LPMAPIERROR *lppMAPIError);
    HRESULT(STDMETHODCALLTYPE *Advise)(IMAPITable *This, ULONG ulEventMask,
                                       LPMAPIADVISESINK lpAdviseSink,
                                       ULONG_PTR *lpulConnection);
    HRESULT(STDMETHODCALLTYPE *Unadvise)(IMAPITable *This, ULONG_PTR ulConnection);
    HRESULT(STDMETHODCALLTYPE *GetStatus)(IMAPITable *This, ULONG *lpulTableStatus,
                                          ULONG *lpulTableType);
    HRESULT(STDMETHODCALLTYPE *SetColumns)(IMAPITable *This, LPSPropTagArray lpPropTagArray,
                                           ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *QueryColumns)(IMAPITable *This, ULONG ulFlags,
                                             LPSPropTagArray *lpPropTagArray);
    HRESULT(STDMETHODCALLTYPE *GetRowCount)(IMAPITable *This, ULONG ulFlags, ULONG *lpulCount);
    HRESULT(STDMETHODCALLTYPE *SeekRow)(IMAPITable *This, BOOKMARK_ABI bkOrigin, LONG lRowCount,
                                        LONG *lplRowsSought);
    HRESULT(STDMETHODCALLTYPE *SeekRowApprox)(IMAPITable *This, ULONG ulNumerator,
                                              ULONG ulDenominator);
    HRESULT(STDMETHODCALLTYPE *QueryPosition)(IMAPITable *This, ULONG *lpulRow,
                                              ULONG *lpulNumerator, ULONG *lpulDenominator);
    HRESULT(STDMETHODCALLTYPE *FindRow)(IMAPITable *This, LPSRestriction lpRestriction,
                                        BOOKMARK_ABI bkOrigin, ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *Restrict)(IMAPITable *This, LPSRestriction lpRestriction,
                                         ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *CreateBookmark)(IMAPITable *This, BOOKMARK_ABI *lpbkPosition);
    HRESULT(STDMETHODCALLTYPE *FreeBookmark)(IMAPITable *This, BOOKMARK_ABI bkPosition);
    HRESULT(STDMETHODCALLTYPE *SortTable)(IMAPITable *This, LPSSortOrderSet lpSortCriteria,
                                          ULONG ulFlags);
    HRESULT(STDMETHODCALLTYPE *QuerySortOrder)(IMAPITable *This,
                                               LPSSortOrderSet *lppSortCriteria);
    HRESULT(STDMETHODCALLTYPE *QueryRows)(IMAPITable *This, LONG lRowCount, ULONG ulFlags,
                                          LPSRowSet *lppRows);
    HRESULT(STDMETHODCALLTYPE *Abort)(IMAPITable *This);
    HRESULT(STDMETHODCALLTYPE *ExpandRow)(IMAPITable *This, ULONG cbInstanceKey,
                                          LPBYTE pbInstanceKey, ULONG ulRowCount, ULONG ulFlags,
                                          LPSRowSet *lppRows, ULONG *lpulMoreRows);
    HRESULT(STDMETHODCALLTYPE *CollapseRow)(IMAPITable *This, ULONG cbInstanceKey,
                                            LPBYTE pbInstanceKey, ULONG ulFlags,
                                            ULONG *lpulRowCount);
    HRESULT(STDMETHODCALLTYPE *WaitForCompletion)(IMAPITable *This, ULONG ulFlags,
                                                  ULONG ulTimeout, ULONG *lpulTableStatus);
    HRESULT(STDMETHODCALLTYPE *GetCollapseState)(IMAPITable *This, ULONG ulFlags,
                                                 ULONG cbInstanceKey, LPBYTE lpbInstanceKey,
                                                 ULONG *lpcbCollapseState,
                                                 LPBYTE *lppbCollapseState);
    HRESULT(STDMETHODCALLTYPE *SetCollapseState)(IMAPITable *This, ULONG ulFlags,
                                                 ULONG cbCollapseState, LPBYTE pbCollapseState,
                                                 BOOKMARK_ABI *lpbkLocation);
} IMAPITableAbiVtbl;

/* The corrected vtable of an interface pointer, e.g. ABI_VTBL(IMAPISupport, sup). */
#define ABI_VTBL(Iface, p) ((const Iface##AbiVtbl *)(const void *)(p)->lpVtbl)

/* A corrected vtable to store in an object's MinGW-typed interface slot. */
#define ABI_AS_VTBL(Iface, v) ((const Iface##Vtbl *)(const void *)(v))

/* Same slot count as MinGW's declarations: a missing or extra method breaks the build. */
#define ABI_SAME_SLOTS(Iface)                                                  \
    _Static_assert(sizeof(Iface##AbiVtbl) == sizeof(Iface##Vtbl),              \
                   #Iface "AbiVtbl must have as many slots as " #Iface "Vtbl")
ABI_SAME_SLOTS(IMSProvider);
ABI_SAME_SLOTS(IMSLogon);
ABI_SAME_SLOTS(IMsgStore);
ABI_SAME_SLOTS(IMAPIFolder);
ABI_SAME_SLOTS(IMessage);
ABI_SAME_SLOTS(IAttach);
ABI_SAME_SLOTS(IMAPISupport);
ABI_SAME_SLOTS(IMAPITable);
ABI_SAME_SLOTS(IMAPIProp);
ABI_SAME_SLOTS(IMAPIStatus);
ABI_SAME_SLOTS(IProviderAdmin);

#endif
