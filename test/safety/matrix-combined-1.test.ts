import { describeCombinedHalf } from "./combined";

describeCombinedHalf(0);
