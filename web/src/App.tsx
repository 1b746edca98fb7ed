// The pages and who may see them. Pages a principal may not use send it to sign-in (or home);
// the server checks every request anyway.
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from "react-router";
import { homeOf, isBrand, isCreator, isOperator, useSession } from "./session";
import { Busy } from "./ui";
import { LoginPage } from "./pages/Login";
import { SignupPage } from "./pages/Signup";

const SearchPage = lazy(() => import("./pages/Search"));
const ProductsPage = lazy(() => import("./pages/Products"));
const CampaignsPage = lazy(() => import("./pages/Campaigns"));
const NewCampaignPage = lazy(() => import("./pages/NewCampaign"));
const BoardPage = lazy(() => import("./pages/Board"));
const ReportPage = lazy(() => import("./pages/Report"));
const CreatorHomePage = lazy(() => import("./pages/CreatorHome"));
const OffersPage = lazy(() => import("./pages/Offers"));
const SubmitPostPage = lazy(() => import("./pages/SubmitPost"));
const EarningsPage = lazy(() => import("./pages/Earnings"));
const OperatorPage = lazy(() => import("./pages/Operator"));
const KitPage = lazy(() => import("./pages/Kit"));
const LibraryPage = lazy(() => import("./pages/Library"));
const ShortlistsPage = lazy(() => import("./pages/Shortlists"));

type Guard = (me: ReturnType<typeof useSession>["me"]) => boolean;

function Only({ allow, children }: { allow: Guard; children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Busy label="Loading…" />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (!allow(me)) return <Navigate to={homeOf(me)} replace />;
  return <>{children}</>;
}

function Nav() {
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const links: [string, string][] = [];
  if (isBrand(me) || isOperator(me)) {
    links.push(["/search", "Search"], ["/campaigns", "Campaigns"], ["/campaigns/new", "New campaign"], ["/shortlists", "Shortlists"], ["/products", "Products"], ["/library", "Content"]);
  }
  if (isCreator(me)) links.push(["/creator", "Accounts"], ["/offers", "Offers"], ["/earnings", "Earnings"]);
  if (isOperator(me)) links.push(["/operator", "Operator"]);
  return (
    <header className="topbar">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <NavLink to={homeOf(me)} className="brand-mark">
        Seedcast
      </NavLink>
      <nav aria-label="Main">
        <ul>
          {links.map(([to, text]) => (
            <li key={to}>
              <NavLink to={to} end>
                {text}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who">
        {me ? (
          <>
            <span className="who-email">{me.user?.email ?? me.principal}</span>
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                await signOut();
                navigate("/login");
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <NavLink to="/login">Sign in</NavLink>
        )}
      </div>
    </header>
  );
}

export function App() {
  const { me, loading } = useSession();
  return (
    <>
      <Nav />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Busy label="Loading…" />}>
          <Routes>
            <Route path="/" element={loading ? <Busy label="Loading…" /> : <Navigate to={homeOf(me)} replace />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/signup" element={<SignupPage />} />
            <Route path="/search" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><SearchPage /></Only>} />
            <Route path="/products" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><ProductsPage /></Only>} />
            <Route path="/campaigns" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><CampaignsPage /></Only>} />
            <Route path="/campaigns/new" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><NewCampaignPage /></Only>} />
            <Route path="/campaigns/:id" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><BoardPage /></Only>} />
            <Route path="/campaigns/:id/report" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><ReportPage /></Only>} />
            <Route path="/shortlists" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><ShortlistsPage /></Only>} />
            <Route path="/library" element={<Only allow={(m) => isBrand(m) || isOperator(m)}><LibraryPage /></Only>} />
            <Route path="/kit/:platform/:handle" element={<KitPage />} />
            <Route path="/creator" element={<Only allow={isCreator}><CreatorHomePage /></Only>} />
            <Route path="/offers" element={<Only allow={isCreator}><OffersPage /></Only>} />
            <Route path="/offers/:id/post" element={<Only allow={isCreator}><SubmitPostPage /></Only>} />
            <Route path="/earnings" element={<Only allow={isCreator}><EarningsPage /></Only>} />
            <Route path="/operator" element={<Only allow={isOperator}><OperatorPage /></Only>} />
            <Route path="*" element={<p>There is no page here. <NavLink to="/">Go to the start</NavLink>.</p>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
